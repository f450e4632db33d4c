import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import payoutClasses from '../../resident/payouts/payouts.module.css';
import { formatDateTime } from '../format';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { PayoutActionError } from './PayoutActionError';
import { SectionError } from './SectionError';
import type { Reconciliation, ReconciliationDifference } from './staffPayoutTypes';

const KINDS = [
  'unknown_transfer',
  'missing_transfer',
  'amount_mismatch',
  'recipient_mismatch',
  'status_mismatch',
  'ledger_mismatch',
] as const;
type Kind = (typeof KINDS)[number];

/** One difference in words; a kind this page does not know yet as its "name: value" pairs. */
function useDescribe(): (difference: ReconciliationDifference) => string {
  const { t } = useTranslation();
  return (difference) => {
    const field = (name: string) => String(difference[name] ?? '');
    const values = {
      amount: field('amount'),
      to: field('to'),
      txHash: field('txHash'),
      block: field('block'),
      payoutId: field('payoutId'),
      expected: field('expected'),
      actual: field('actual'),
      status: field('status'),
    };
    if ((KINDS as readonly string[]).includes(difference.kind)) {
      return t(`staffPayouts.reconciliation.kinds.${difference.kind as Kind}`, values);
    }
    return Object.entries(difference)
      .map(([name, value]) => `${name}: ${String(value)}`)
      .join(', ');
  };
}

/**
 * The latest comparison of the treasury's transfers on chain with the ledger's payouts: when it
 * ran, over which blocks, and every difference; finance can run it now.
 */
export function ReconciliationSection({
  municipality,
  canRun,
}: {
  municipality: Municipality;
  canRun: boolean;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const path = `${municipalityPath(municipality)}/payouts/reconciliation`;
  // null (or a 404 of its own): no report yet.
  const report = useFreshResource<Reconciliation | null>(path);
  const describe = useDescribe();
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [ran, setRan] = useState(false);

  const run = async () => {
    setRunning(true);
    setFailure(null);
    setRan(false);
    try {
      await postJson<Reconciliation>(path);
      setRan(true);
      report.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setRunning(false);
    }
  };

  // A 404 naming a payout means the route is not there yet (…/payouts/:payoutId answered).
  const none =
    (report.status === 'ready' && report.data === null) ||
    (report.status === 'error' &&
      report.error.kind === 'not_found' &&
      report.error.code !== 'payout_not_found');
  const data = report.status === 'ready' ? report.data : null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="reconciliation-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="reconciliation-title">
          {t('staffPayouts.reconciliation.title')}
        </Title>
        {report.status === 'loading' && <LoadingState label={t('staffPayouts.loading')} />}
        {none && <Text>{t('staffPayouts.reconciliation.none')}</Text>}
        {report.status === 'error' && !none && (
          <SectionError error={report.error} onRetry={report.reload} />
        )}
        {data && (
          <Stack gap={4} data-testid="reconciliation">
            <Text>
              {t('staffPayouts.reconciliation.ran', {
                date: formatDateTime(data.ranAt, locale),
                from: formatCount(data.fromBlock, locale),
                to: formatCount(data.toBlock, locale),
              })}
            </Text>
            <Text>
              {t('staffPayouts.reconciliation.summary', {
                transfers: formatCount(data.summary.transfers, locale),
                payouts: formatCount(data.summary.confirmedPayouts, locale),
                points: formatCount(data.summary.confirmedPoints, locale),
                ledger: formatCount(data.summary.ledgerPayoutPoints, locale),
              })}
            </Text>
            <Text fw={700} c={data.differences.length > 0 ? 'red.9' : undefined}>
              {data.differences.length === 0
                ? t('staffPayouts.reconciliation.agree')
                : t('staffPayouts.reconciliation.differences', {
                    count: formatCount(data.differences.length, locale),
                  })}
            </Text>
            {data.differences.length > 0 && (
              <ul data-testid="reconciliation-differences">
                {data.differences.map((difference, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: differences have no id and never reorder
                  <li key={index} className={payoutClasses.mono}>
                    {describe(difference)}
                  </li>
                ))}
              </ul>
            )}
          </Stack>
        )}
        {failure !== null && <PayoutActionError error={failure} />}
        <div role="status" aria-live="polite" className={classes.status}>
          {ran && <Text fw={600}>{t('staffPayouts.reconciliation.done')}</Text>}
        </div>
        {canRun && (
          <Group>
            <Button loading={running} onClick={() => void run()} className={classes.touch}>
              {t('staffPayouts.reconciliation.run')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
