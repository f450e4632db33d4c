import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import payoutClasses from '../../resident/payouts/payouts.module.css';
import { formatDateTime } from '../format';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { PayoutActionError } from './PayoutActionError';
import type { Reconciliation } from './staffPayoutTypes';

/** One difference as "name: value" pairs (its fields depend on the kind of difference). */
function describe(difference: Record<string, unknown>): string {
  return Object.entries(difference)
    .map(
      ([name, value]) =>
        `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ');
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
  const report = useFreshResource<Reconciliation>(path);
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

  const none = report.status === 'error' && report.error.kind === 'not_found';
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="reconciliation-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="reconciliation-title">
          {t('staffPayouts.reconciliation.title')}
        </Title>
        {report.status === 'loading' && <LoadingState label={t('staffPayouts.loading')} />}
        {none && <Text>{t('staffPayouts.reconciliation.none')}</Text>}
        {report.status === 'error' && !none && (
          <ErrorState error={report.error} onRetry={report.reload} />
        )}
        {report.status === 'ready' && (
          <Stack gap={4} data-testid="reconciliation">
            <Text>
              {t('staffPayouts.reconciliation.ran', {
                date: formatDateTime(report.data.ranAt, locale),
                from: formatCount(report.data.fromBlock, locale),
                to: formatCount(report.data.toBlock, locale),
              })}
            </Text>
            <Text fw={700} c={report.data.differenceCount > 0 ? 'red.9' : undefined}>
              {report.data.differenceCount === 0
                ? t('staffPayouts.reconciliation.agree')
                : t('staffPayouts.reconciliation.differences', {
                    count: formatCount(report.data.differenceCount, locale),
                  })}
            </Text>
            {report.data.differences.length > 0 && (
              <ul data-testid="reconciliation-differences">
                {report.data.differences.map((difference, index) => (
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
