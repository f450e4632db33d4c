import { Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client';
import type {
  Municipality,
  ResidentSummary,
  Wallet,
  WalletHistory,
  WalletMovement,
} from '../../api/types';
import { LoadingState } from '../../components/LoadingState';
import { formatCount, formatDate, formatEuroCents, languageName } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { ActionError } from './ActionError';
import { type Column, DataTable } from './DataTable';
import { formatDateTime } from './format';
import { StaffGate } from './StaffGate';
import classes from './staff.module.css';
import { municipalityPath } from './staffContext';

interface Found {
  resident: ResidentSummary;
  wallet: Wallet;
  history: WalletMovement[];
  next: string | null;
}

type LookupState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'none'; query: string }
  | { status: 'error'; error: unknown }
  | { status: 'found'; found: Found; more: boolean };

/** `/staff/wallets`: find a resident by member code or email, see their points and history. */
export function WalletLookupPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.wallets')} permission="residents.read">
      {(municipality) => <WalletLookup municipality={municipality} />}
    </StaffGate>
  );
}

function WalletLookup({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<LookupState>({ status: 'idle' });
  const base = `${municipalityPath(municipality)}/residents`;

  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = query.trim();
    if (!typed) return;
    setState({ status: 'searching' });
    const by: Record<string, string> = typed.includes('@')
      ? { email: typed }
      : { memberCode: typed };
    try {
      const { items } = await getJson<{ items: ResidentSummary[] }>(
        `${base}?${new URLSearchParams(by)}`,
      );
      const resident = items[0];
      if (!resident) {
        setState({ status: 'none', query: typed });
        return;
      }
      const id = encodeURIComponent(resident.id);
      const [{ wallet }, history] = await Promise.all([
        getJson<{ wallet: Wallet }>(`${base}/${id}/wallet`),
        getJson<WalletHistory>(`${base}/${id}/wallet/history?limit=50`),
      ]);
      setState({
        status: 'found',
        found: { resident, wallet, history: history.items, next: history.next },
        more: false,
      });
    } catch (error) {
      setState({ status: 'error', error });
    }
  };

  const loadMore = async () => {
    if (state.status !== 'found' || !state.found.next) return;
    const { found } = state;
    setState({ status: 'found', found, more: true });
    try {
      const page = await getJson<WalletHistory>(
        `${base}/${encodeURIComponent(found.resident.id)}/wallet/history?limit=50&before=${encodeURIComponent(found.next!)}`,
      );
      setState({
        status: 'found',
        found: { ...found, history: [...found.history, ...page.items], next: page.next },
        more: false,
      });
    } catch (error) {
      setState({ status: 'error', error });
    }
  };

  const columns: Column<WalletMovement>[] = [
    {
      key: 'at',
      label: t('staffArea.wallets.at'),
      sortValue: (m) => m.at,
      render: (m) => <span className={classes.nowrap}>{formatDateTime(m.at, locale)}</span>,
    },
    {
      key: 'points',
      label: t('staffArea.wallets.points'),
      numeric: true,
      sortValue: (m) => m.points,
      render: (m) =>
        m.points > 0 ? `+${formatCount(m.points, locale)}` : formatCount(m.points, locale),
    },
    {
      key: 'code',
      label: t('staffArea.wallets.kind'),
      sortValue: (m) => m.code,
      render: (m) => <span className={classes.code}>{m.code}</span>,
    },
    {
      key: 'reference',
      label: t('staffArea.wallets.reference'),
      render: (m) => <span className={classes.code}>{m.reference ?? ''}</span>,
    },
    {
      key: 'status',
      label: t('staffArea.wallets.status'),
      sortValue: (m) => m.status,
      render: (m) => t(`staffArea.wallets.statuses.${m.status}`),
    },
  ];

  return (
    <Stack gap="lg">
      <Paper
        withBorder
        radius="md"
        p="md"
        component="section"
        aria-label={t('staffArea.wallets.find')}
      >
        <form onSubmit={(event) => void search(event)}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('staffArea.wallets.query')}
              description={t('staffArea.wallets.queryHint')}
              name="query"
              autoComplete="off"
              spellCheck={false}
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
              miw="min(22rem, 100%)"
            />
            <Button type="submit" loading={state.status === 'searching'} className={classes.touch}>
              {t('staffArea.wallets.find')}
            </Button>
          </Group>
        </form>
      </Paper>
      <div role="status" aria-live="polite" className={classes.status}>
        {state.status === 'none' && (
          <Text data-testid="no-resident">
            {t('staffArea.wallets.none', {
              query: state.query,
              municipality: municipality.names[locale],
            })}
          </Text>
        )}
      </div>
      {state.status === 'searching' && <LoadingState label={t('staffArea.wallets.searching')} />}
      {state.status === 'error' && <ActionError error={state.error} />}
      {state.status === 'found' && (
        <Stack gap="md" data-testid="wallet-result">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <Paper withBorder radius="md" p="md">
              <Text size="sm" c="dimmed">
                {t('staffArea.wallets.memberCode')}
              </Text>
              <Text fw={700} className={classes.code} data-testid="found-member-code">
                {state.found.resident.memberCode}
              </Text>
              <Text size="sm" mt={4} className={classes.wrap}>
                {state.found.resident.email ?? t('staffArea.wallets.noEmail')}
              </Text>
              <Text size="sm" c="dimmed">
                {languageName(state.found.resident.preferredLocale, locale)}
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Text size="sm" c="dimmed">
                {t('staffArea.wallets.balance')}
              </Text>
              <Text className={classes.stat} data-testid="found-points">
                {formatCount(state.found.wallet.points, locale)}
              </Text>
              <Text size="sm">
                {t('resident.worth', {
                  amount: formatEuroCents(
                    state.found.wallet.points * state.found.wallet.pointValueCents,
                    locale,
                  ),
                })}
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Text size="sm" c="dimmed">
                {t('staffArea.wallets.held')}
              </Text>
              <Text className={classes.stat} data-testid="found-held">
                {formatCount(state.found.wallet.held, locale)}
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Text size="sm" c="dimmed">
                {t('staffArea.wallets.expiring')}
              </Text>
              {state.found.wallet.expiring.length === 0 ? (
                <Text>{t('staffArea.wallets.noneExpiring')}</Text>
              ) : (
                <ul className={classes.diff}>
                  {state.found.wallet.expiring.map((batch) => (
                    <li key={batch.expiresAt}>
                      {t('staffArea.wallets.expiresOn', {
                        points: formatCount(batch.points, locale),
                        date: formatDate(batch.expiresAt, locale),
                      })}
                    </li>
                  ))}
                </ul>
              )}
            </Paper>
          </SimpleGrid>
          <section aria-labelledby="history-title">
            <Title order={2} size="h4" id="history-title" mb="xs">
              {t('staffArea.wallets.history')}
            </Title>
            <DataTable
              caption={t('staffArea.wallets.historyCaption', {
                code: state.found.resident.memberCode,
              })}
              columns={columns}
              rows={state.found.history}
              rowKey={(m) => m.id}
              initialSort={{ key: 'at', direction: 'descending' }}
              testId="history-table"
            />
            {state.found.next && (
              <Button
                mt="sm"
                variant="default"
                loading={state.more}
                onClick={() => void loadMore()}
                className={classes.touch}
              >
                {t('staffArea.audit.loadMore')}
              </Button>
            )}
          </section>
        </Stack>
      )}
    </Stack>
  );
}
