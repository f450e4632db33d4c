import { Anchor, Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { PayoutStatusBadge } from '../../resident/payouts/PayoutStatusBadge';
import payoutClasses from '../../resident/payouts/payouts.module.css';
import {
  PAYOUT_STATUSES,
  type Payout,
  type PayoutStatus,
} from '../../resident/payouts/payoutTypes';
import { formatTokenUnits } from '../../resident/payouts/tokenAmount';
import { ConfirmDialog } from '../ConfirmDialog';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { PayoutActionError } from './PayoutActionError';

/** What staff may do to a payout in a queue. */
export type QueueAction = 'approve' | 'reject' | 'retry' | 'cancel';

const ACTIONS: Record<'awaiting_approval' | 'parked', readonly QueueAction[]> = {
  awaiting_approval: ['approve', 'reject'],
  parked: ['retry', 'cancel'],
};

/**
 * The payouts of one status, newest first, as a table: who, how much, to where, since when —
 * with the actions of that status for finance (approve / reject with a note; retry / cancel a
 * parked one, whose reason shows). Without a status: every payout, with a status filter.
 */
export function PayoutQueue({
  municipality,
  status,
  canAct,
  symbol,
  decimals,
  onChanged,
  version,
}: {
  municipality: Municipality;
  status: 'awaiting_approval' | 'parked' | null;
  canAct: boolean;
  symbol: string;
  decimals: number;
  /** Called after an action, so that the other lists load again. */
  onChanged: () => void;
  /** Changes when another list acted: load again. */
  version: number;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [filter, setFilter] = useState<PayoutStatus | ''>('');
  const wanted = status ?? filter;
  const base = `${municipalityPath(municipality)}/payouts`;
  const list = useFreshResource<{ items: Payout[] }>(`${base}${wanted ? `?status=${wanted}` : ''}`);
  const { reload } = list;
  // Another list acted (an approval queues a payout, a retry moves a parked one): load again.
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const [pending, setPending] = useState<{ payout: Payout; action: QueueAction } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<QueueAction | null>(null);
  const idPrefix = status ?? 'all';

  const open = (payout: Payout, action: QueueAction) => {
    setPending({ payout, action });
    setNote('');
    setFailure(null);
    setDone(null);
  };

  const act = async () => {
    if (!pending) return;
    setBusy(true);
    setFailure(null);
    try {
      await postJson(
        `${base}/${encodeURIComponent(pending.payout.id)}/${pending.action}`,
        pending.action === 'reject' ? { note: note.trim() } : {},
      );
      setDone(pending.action);
      setPending(null);
      list.reload();
      onChanged();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const tokens = (payout: Payout) =>
    payout.tokenAmount ? `${formatTokenUnits(payout.tokenAmount, decimals, locale)} ${symbol}` : '';
  const actions = status && canAct ? ACTIONS[status] : [];
  const columns: Column<Payout>[] = [
    {
      key: 'requestedAt',
      label: t('staffPayouts.columns.requestedAt'),
      sortValue: (p) => p.requestedAt,
      render: (p) => formatDateTime(p.requestedAt, locale),
    },
    {
      key: 'resident',
      label: t('staffPayouts.columns.resident'),
      sortValue: (p) => p.residentId,
      render: (p) => p.residentId,
    },
    {
      key: 'points',
      label: t('staffPayouts.columns.points'),
      numeric: true,
      sortValue: (p) => p.points,
      render: (p) => formatCount(p.points, locale),
    },
    { key: 'tokens', label: t('staffPayouts.columns.tokens'), numeric: true, render: tokens },
    {
      key: 'address',
      label: t('staffPayouts.columns.address'),
      render: (p) => <span className={payoutClasses.mono}>{p.address}</span>,
    },
    {
      key: 'status',
      label: t('staffPayouts.columns.status'),
      sortValue: (p) => p.status,
      render: (p) => (
        <Stack gap={2}>
          <PayoutStatusBadge status={p.status} />
          {p.parkReason && <Text size="sm">{p.parkReason}</Text>}
          {p.failureReason && <Text size="sm">{p.failureReason}</Text>}
          {p.txUrl && (
            <Anchor href={p.txUrl} target="_blank" rel="noreferrer" size="sm">
              {t('payouts.list.transaction')}
            </Anchor>
          )}
        </Stack>
      ),
    },
  ];
  if (actions.length > 0) {
    columns.push({
      key: 'actions',
      label: t('staffPayouts.columns.actions'),
      render: (p) => (
        <Group gap="xs" wrap="nowrap">
          {actions.map((action) => (
            <Button
              key={action}
              size="xs"
              variant={action === 'approve' || action === 'retry' ? 'filled' : 'default'}
              className={classes.touch}
              onClick={() => open(p, action)}
              aria-label={t(`staffPayouts.actions.${action}Named`, {
                points: formatCount(p.points, locale),
                resident: p.residentId,
              })}
              data-testid={`payout-${action}`}
            >
              {t(`staffPayouts.actions.${action}`)}
            </Button>
          ))}
        </Group>
      ),
    });
  }

  return (
    <Stack gap="sm">
      {status === null && (
        <NativeSelect
          label={t('staffPayouts.filter')}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value as PayoutStatus | '')}
          data={[
            { value: '', label: t('staffPayouts.allStatuses') },
            ...PAYOUT_STATUSES.map((s) => ({ value: s, label: t(`payouts.status.${s}`) })),
          ]}
          maw="20rem"
          data-testid="payout-filter"
        />
      )}
      <div role="status" aria-live="polite" className={classes.status}>
        {done && (
          <Text fw={600} data-testid="payout-action-done">
            {t(`staffPayouts.actions.${done}Done`)}
          </Text>
        )}
      </div>
      {list.status === 'loading' && <LoadingState label={t('staffPayouts.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t(`staffPayouts.captions.${idPrefix}`)}
          columns={columns}
          rows={list.data.items}
          rowKey={(p) => p.id}
          testId={`payouts-${idPrefix}`}
          minWidth={860}
        />
      )}
      {pending && pending.action === 'reject' && (
        <Modal
          opened
          onClose={() => setPending(null)}
          title={t('staffPayouts.reject.title')}
          centered
          size="lg"
          closeButtonProps={{ 'aria-label': t('staffArea.close') }}
        >
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void act();
            }}
          >
            <Stack gap="md" data-testid="reject-dialog">
              <Text>
                {t('staffPayouts.reject.text', {
                  points: formatCount(pending.payout.points, locale),
                })}
              </Text>
              <Textarea
                label={t('staffPayouts.reject.note')}
                description={t('staffPayouts.reject.noteHint')}
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                required
                minRows={3}
                autosize
                data-autofocus
              />
              {failure !== null && <PayoutActionError error={failure} />}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  onClick={() => setPending(null)}
                  className={classes.touch}
                >
                  {t('staffArea.cancel')}
                </Button>
                <Button
                  type="submit"
                  color="red.8"
                  loading={busy}
                  disabled={note.trim() === ''}
                  className={classes.touch}
                >
                  {t('staffPayouts.actions.reject')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Modal>
      )}
      {pending && pending.action !== 'reject' && (
        <ConfirmDialog
          title={t(`staffPayouts.confirm.${pending.action}.title`)}
          confirmLabel={t(`staffPayouts.actions.${pending.action}`)}
          busy={busy}
          failure={failure}
          onConfirm={() => void act()}
          onCancel={() => setPending(null)}
        >
          <Text>
            {t(`staffPayouts.confirm.${pending.action}.text`, {
              points: formatCount(pending.payout.points, locale),
              tokens: tokens(pending.payout),
              address: pending.payout.address,
            })}
          </Text>
        </ConfirmDialog>
      )}
    </Stack>
  );
}
