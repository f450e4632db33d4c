import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { putJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { ActionError } from '../ActionError';
import { type Column, DataTable } from '../DataTable';
import local from '../earning/earning.module.css';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { pointsText, rewardValueText } from './labels';
import { REWARD_KINDS, type Reward } from './spendingTypes';

/** `/staff/rewards`: the municipality's reward catalogue for its admins. */
export function RewardsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.rewards')} permission="catalog.manage">
      {(municipality) => <RewardCatalogue municipality={municipality} />}
    </StaffGate>
  );
}

/** Archive or make active again, saying what happened; the caller reloads or takes the answer. */
export function useRewardStatus(municipality: Municipality) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const change = async (reward: Reward, next: Reward['status']): Promise<Reward | null> => {
    setBusy(reward.id);
    setFailure(null);
    try {
      const saved = await putJson<Reward>(
        `${municipalityPath(municipality)}/rewards/${encodeURIComponent(reward.id)}/status`,
        { status: next },
      );
      return saved;
    } catch (error) {
      setFailure(error);
      return null;
    } finally {
      setBusy(null);
    }
  };
  const doneText = (reward: Reward) => {
    const name = reward.names[locale];
    return reward.status === 'archived'
      ? t('staffRewards.list.archived', { name })
      : t('staffRewards.list.restored', { name });
  };
  return { busy, failure, change, doneText };
}

function RewardCatalogue({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = municipalityPath(municipality);
  const list = useFreshResource<{ items: Reward[] }>(`${base}/rewards?include=archived`);
  const arrived = (useLocation().state as { done?: string } | null)?.done ?? null;
  const [done, setDone] = useState<string | null>(arrived);
  const status = useRewardStatus(municipality);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState<'all' | Reward['status']>('all');
  const [kind, setKind] = useState('');

  const toggle = async (reward: Reward) => {
    setDone(null);
    const saved = await status.change(reward, reward.status === 'archived' ? 'active' : 'archived');
    if (saved) {
      setDone(status.doneText(saved));
      list.reload();
    }
  };

  const columns: Column<Reward>[] = [
    {
      key: 'name',
      label: t('staffRewards.list.name'),
      sortValue: (r) => r.names[locale],
      render: (r) => (
        <Anchor component={Link} to={`/staff/rewards/${encodeURIComponent(r.id)}`}>
          {r.names[locale]}
        </Anchor>
      ),
    },
    {
      key: 'code',
      label: t('staffRewards.list.code'),
      sortValue: (r) => r.code,
      render: (r) => <span className={classes.code}>{r.code}</span>,
    },
    {
      key: 'kind',
      label: t('staffRewards.list.kind'),
      sortValue: (r) => t(`staffRewards.kinds.${r.kind}`),
      render: (r) => t(`staffRewards.kinds.${r.kind}`),
    },
    {
      key: 'price',
      label: t('staffRewards.list.price'),
      numeric: true,
      sortValue: (r) => r.pricePoints,
      render: (r) => pointsText(r.pricePoints, t, locale),
    },
    {
      key: 'value',
      label: t('staffRewards.list.value'),
      numeric: true,
      sortValue: (r) => r.valueCents,
      render: (r) => rewardValueText(r, t, locale),
    },
    {
      key: 'stock',
      label: t('staffRewards.list.stockLeft'),
      numeric: true,
      sortValue: (r) => r.stockLeft ?? Number.MAX_SAFE_INTEGER,
      render: (r) =>
        r.stockLeft === null
          ? t('staffRewards.list.noStock')
          : t('staffRewards.list.stockOf', {
              left: formatCount(r.stockLeft, locale),
              stock: formatCount(r.stock ?? 0, locale),
            }),
    },
    {
      key: 'scope',
      label: t('staffRewards.list.scope'),
      sortValue: (r) => r.scope,
      render: (r) => t(`staffRewards.scopes.${r.scope}`),
    },
    {
      key: 'status',
      label: t('staffRewards.list.status'),
      sortValue: (r) => r.status,
      render: (r) => (
        <span className={local.status} data-status={r.status}>
          {t(`catalogue.statuses.${r.status}`)}
        </span>
      ),
    },
    {
      key: 'actions',
      label: t('staffRewards.list.actions'),
      render: (r) => {
        const name = r.names[locale];
        const archived = r.status === 'archived';
        return (
          <Button
            size="xs"
            variant="default"
            className={classes.action}
            loading={status.busy === r.id}
            disabled={status.busy !== null && status.busy !== r.id}
            aria-label={
              archived
                ? t('catalogue.list.restoreOf', { name })
                : t('catalogue.list.archiveOf', { name })
            }
            onClick={() => void toggle(r)}
          >
            {archived ? t('catalogue.list.restore') : t('catalogue.list.archive')}
          </Button>
        );
      },
    },
  ];

  const needle = query.trim().toLocaleLowerCase();
  const rows =
    list.status === 'ready'
      ? list.data.items.filter(
          (r) =>
            (shown === 'all' || r.status === shown) &&
            (kind === '' || r.kind === kind) &&
            (needle === '' ||
              r.code.includes(needle) ||
              r.names[locale].toLocaleLowerCase().includes(needle)),
        )
      : [];

  return (
    <Stack gap="md">
      <Text>{t('staffRewards.list.intro')}</Text>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('catalogue.list.search')}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            miw="min(16rem, 100%)"
          />
          <NativeSelect
            label={t('staffRewards.list.kind')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value)}
            data={[
              { value: '', label: t('staffRewards.list.allKinds') },
              ...REWARD_KINDS.map((k) => ({ value: k, label: t(`staffRewards.kinds.${k}`) })),
            ]}
          />
          <NativeSelect
            label={t('staffRewards.list.status')}
            value={shown}
            onChange={(event) => setShown(event.currentTarget.value as typeof shown)}
            data={[
              { value: 'all', label: t('catalogue.list.allStatuses') },
              { value: 'active', label: t('catalogue.statuses.active') },
              { value: 'archived', label: t('catalogue.statuses.archived') },
            ]}
          />
        </Group>
        <Button component={Link} to="/staff/rewards/new" className={classes.touch}>
          {t('staffRewards.list.new')}
        </Button>
      </Group>
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {status.failure !== null && <ActionError error={status.failure} />}
      {list.status === 'loading' && <LoadingState label={t('staffRewards.list.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t('staffRewards.list.caption', {
            municipality: municipality.names[locale],
            shown: rows.length,
          })}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          testId="rewards-table"
          minWidth={1080}
        />
      )}
    </Stack>
  );
}
