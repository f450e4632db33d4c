import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AlertIcon } from '../../components/icons';
import { formatEuroCents, pluralForm } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import classes from './pos.module.css';
import type { Till } from './useTill';

/**
 * The till's connection, said plainly: "Online" or "Offline — vouchers are checked on this
 * device", how many redemptions wait to sync, and what the last sync settled (a voucher
 * redeemed elsewhere first: "not paid — flagged").
 */
export function TillStatus({ till }: { till: Till }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const waiting = till.offline.filter((r) => r.state === 'waiting');
  const count = waiting.length;
  return (
    <Stack gap="xs" mt="xs">
      <div
        className={`${classes.connection} ${till.online ? classes.isOnline : classes.isOffline}`}
        role="status"
        data-testid="pos-connection"
      >
        <span className={classes.dot} aria-hidden="true" />
        <Text fw={700} size="lg">
          {till.online ? t('pos.online') : t('pos.offline')}
        </Text>
        {!till.online && (
          <Text size="md" className={classes.wrap}>
            {till.kit
              ? t('pos.offlineDetail', { when: formatDateTime(till.kit.savedAt, locale) })
              : t('pos.offlineNoKit')}
          </Text>
        )}
      </div>
      {count > 0 && (
        <Text fw={700} size="lg" role="status" data-testid="pos-waiting" data-count={count}>
          {till.syncing
            ? t('pos.syncing')
            : t(`pos.waiting.${pluralForm(count, locale)}`, {
                n: count,
                value: formatEuroCents(
                  waiting.reduce((sum, r) => sum + r.valueCents, 0),
                  locale,
                ),
              })}
        </Text>
      )}
      {till.lastSync && till.lastSync.results.length > 0 && <SyncReport till={till} />}
    </Stack>
  );
}

function SyncReport({ till }: { till: Till }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const results = till.lastSync!.results;
  const flagged = results.some((r) => r.outcome !== 'settled');
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      className={flagged ? classes.syncFlagged : classes.syncOk}
      data-testid="pos-sync-report"
    >
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap">
          {flagged && <AlertIcon size={28} />}
          <Text fw={800} size="xl" component="h2">
            {t('pos.sync.title')}
          </Text>
        </Group>
        <ul className={classes.list}>
          {results.map((result) => (
            <li key={result.clientRedemptionId} data-outcome={result.outcome}>
              <Text size="lg" className={classes.wrap}>
                <strong>{`${result.record.rewardNames[locale]} · ${formatEuroCents(result.record.valueCents, locale)}: `}</strong>
                {result.outcome === 'settled'
                  ? t('pos.sync.settled')
                  : result.outcome === 'duplicate'
                    ? t('pos.sync.duplicate')
                    : t('pos.sync.refused', {
                        reason: result.refusal
                          ? t(`pos.reasons.${result.refusal}`)
                          : (result.message ?? ''),
                      })}
              </Text>
            </li>
          ))}
        </ul>
        <Button
          variant="default"
          onClick={till.dismissSync}
          className={classes.touch}
          w="fit-content"
        >
          {t('pos.sync.dismiss')}
        </Button>
      </Stack>
    </Paper>
  );
}
