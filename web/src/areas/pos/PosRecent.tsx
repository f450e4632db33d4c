import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatEuroCents } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import { OK_INK, WAIT_INK } from './colors';
import type { Shown } from './PosResult';
import classes from './pos.module.css';
import { type Redemption, UNDO_WINDOW_MS } from './posApi';
import type { OfflineRedemption } from './posStore';
import { useNow } from './useNow';

/** A redemption made online on this page, kept while it is open (for undo). */
export interface RecentOnline {
  redemption: Redemption;
  voucher: Shown;
  undone: boolean;
  /** Until when it can be undone, by this device's clock. */
  undoUntil: number;
}

type Row = {
  key: string;
  names: Shown['names'];
  valueCents: number;
  at: string;
  state: 'paid' | 'undone' | 'waiting' | 'settled' | 'duplicate' | 'refused';
  undoUntil: number | null;
  undo: (() => void) | null;
};

const BADGES: Record<Row['state'], string> = {
  paid: OK_INK,
  settled: OK_INK,
  undone: 'gray.8',
  waiting: WAIT_INK,
  duplicate: 'red.9',
  refused: 'red.9',
};

/**
 * "On this till": what was redeemed here lately — online on this page (undo for 10 minutes) and
 * offline on this device (waiting to sync, then paid, or not paid and flagged).
 */
export function PosRecent({
  recent,
  offline,
  busy,
  onUndoOnline,
  onUndoOffline,
}: {
  recent: RecentOnline[];
  offline: OfflineRedemption[];
  busy: boolean;
  onUndoOnline(redemptionId: string): void;
  onUndoOffline(clientRedemptionId: string): void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const now = useNow(15_000);
  const rows: Row[] = [
    ...recent.map((r): Row => {
      return {
        key: r.redemption.id,
        names: r.voucher.names,
        valueCents: r.voucher.valueCents,
        at: r.redemption.redeemedAt,
        state: r.undone ? 'undone' : 'paid',
        undoUntil: r.undoUntil,
        undo: r.undone ? null : () => onUndoOnline(r.redemption.id),
      };
    }),
    ...offline.map((r): Row => {
      const until = Date.parse(r.redeemedAt) + UNDO_WINDOW_MS;
      return {
        key: r.clientRedemptionId,
        names: r.rewardNames,
        valueCents: r.valueCents,
        at: r.redeemedAt,
        state: r.state,
        undoUntil: until,
        undo: r.state === 'waiting' ? () => onUndoOffline(r.clientRedemptionId) : null,
      };
    }),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="pos-recent-title" data-testid="pos-recent">
      <Title order={2} size="h3" id="pos-recent-title">
        {t('pos.recent.title')}
      </Title>
      <Stack component="ul" gap="xs" mt="xs" p={0} className={classes.list}>
        {rows.map((row) => (
          <Paper
            component="li"
            key={row.key}
            withBorder
            radius="sm"
            p="sm"
            data-state={row.state}
            data-testid="pos-recent-item"
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              <div className={classes.wrap}>
                <Text fw={700} size="lg">
                  {`${row.names[locale]} · ${formatEuroCents(row.valueCents, locale)}`}
                </Text>
                <Text size="sm" c="gray.8">
                  {formatDateTime(row.at, locale)}
                </Text>
              </div>
              <Group gap="xs" wrap="wrap">
                <Badge color={BADGES[row.state]} variant="filled" radius="sm" size="lg" tt="none">
                  {t(`pos.recent.states.${row.state}`)}
                </Badge>
                {row.undo && row.undoUntil !== null && now < row.undoUntil && (
                  <Button
                    variant="default"
                    size="sm"
                    onClick={row.undo}
                    disabled={busy}
                    className={classes.touch}
                  >
                    {t('pos.recent.undo')}
                  </Button>
                )}
              </Group>
            </Group>
            {row.state === 'duplicate' && (
              <Text c="red.9" fw={600} mt={4}>
                {t('pos.sync.duplicate')}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    </section>
  );
}
