import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { formatDateTime } from '../../staff/format';
import { PayoutStatusBadge } from './PayoutStatusBadge';
import classes from './payouts.module.css';
import type { Payout } from './payoutTypes';
import { formatTokenUnits } from './tokenAmount';

/** The resident's payouts, newest first: amount, status in words, and the transaction link. */
export function PayoutList({
  payouts,
  symbol,
  decimals,
}: {
  payouts: Payout[];
  symbol: string;
  decimals: number;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="payout-list">
      <Title order={2} size="h4" id="payout-list" mb="sm">
        {t('payouts.list.title')}
      </Title>
      {payouts.length === 0 ? (
        <Text data-testid="payout-list-empty">{t('payouts.list.empty')}</Text>
      ) : (
        <ul className={classes.list} data-testid="payout-items">
          {payouts.map((payout) => (
            <PayoutItem key={payout.id} payout={payout} symbol={symbol} decimals={decimals} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PayoutItem({
  payout,
  symbol,
  decimals,
}: {
  payout: Payout;
  symbol: string;
  decimals: number;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const titleId = `payout-${payout.id}`;
  const points = (n: number) =>
    t(`payouts.pointsCount.${pluralForm(n, locale)}`, { points: formatCount(n, locale) });
  const tokens = payout.tokenAmount && formatTokenUnits(payout.tokenAmount, decimals, locale);
  return (
    <Paper
      component="li"
      withBorder
      radius="lg"
      p="md"
      aria-labelledby={titleId}
      data-testid="payout-item"
      data-status={payout.status}
    >
      <Stack gap={4}>
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Title order={3} size="h5" id={titleId}>
            {tokens
              ? t('payouts.list.amount', {
                  points: points(payout.points),
                  tokens,
                  symbol,
                })
              : points(payout.points)}
          </Title>
          <PayoutStatusBadge status={payout.status} />
        </Group>
        <Text size="sm">
          {t('payouts.list.requestedAt', { date: formatDateTime(payout.requestedAt, locale) })}
        </Text>
        <Text size="sm">{t(`payouts.statusHint.${payout.status}`)}</Text>
        {payout.status === 'rejected' && payout.failureReason && (
          <Text size="sm" fw={600} data-testid="payout-reason">
            {t('payouts.list.reason', { reason: payout.failureReason })}
          </Text>
        )}
        <Text size="sm" className={classes.mono}>
          {t('payouts.list.to', { address: payout.address })}
        </Text>
        {payout.txUrl && (
          <Anchor href={payout.txUrl} target="_blank" rel="noreferrer" data-testid="payout-tx">
            {t('payouts.list.transaction')}
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}
