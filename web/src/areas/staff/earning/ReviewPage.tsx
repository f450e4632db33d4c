import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson, postJson } from '../../../api/client';
import type { Municipality, User } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { ActionError } from '../ActionError';
import { can } from '../access';
import { formatDateTime } from '../format';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath, useStaff } from '../staffContext';
import { useFreshResource } from '../useList';
import { ClaimPane, type PaneActions } from './ClaimPane';
import local from './earning.module.css';
import {
  type Activity,
  type BulkApproveResult,
  CLAIM_STATUSES,
  type Claim,
  type ClaimPage,
  RISK_LEVELS,
} from './earningTypes';
import { ClaimStatusBadge, flagText, RiskBadge } from './labels';
import { neighbour, nextAfterDecision, reviewKeyAction } from './reviewKeys';
import { type DeciderNames, deciderName, explainDecisionError } from './reviewText';

const PAGE_SIZE = 50;
const SORTS = ['oldest', 'newest', 'risk'] as const;
type Sort = (typeof SORTS)[number];

interface Filters {
  status: Claim['status'] | '';
  activityId: string;
  risk: Claim['risk'] | '';
  sort: Sort;
}

type QueueState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; items: Claim[]; total: number; more: boolean };

/** The keys of the queue as the hint shows them (the same in every language). */
const KEY_LABELS = {
  next: ['J', '↓'],
  previous: ['K', '↑'],
  approve: ['A'],
  reject: ['R'],
} as const;

/** `/staff/review`: the review queue for reviewers (admins may read it). */
export function ReviewPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.review')} permission="claims.read">
      {(municipality) => <ReviewQueue municipality={municipality} />}
    </StaffGate>
  );
}

function ReviewQueue({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const canReview = can(me.user, 'claims.review');
  const base = municipalityPath(municipality);
  const [filters, setFilters] = useState<Filters>({
    status: 'submitted',
    activityId: '',
    risk: '',
    sort: 'oldest',
  });
  const [queue, setQueue] = useState<QueueState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [focusPane, setFocusPane] = useState(false);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkResult, setBulkResult] = useState<{
    result: BulkApproveResult;
    labels: ReadonlyMap<string, string>;
  } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const actions = useRef<PaneActions | null>(null);

  const activities = useFreshResource<{ items: Activity[] }>(
    `${base}/activities${can(me.user, 'catalog.manage') ? '?include=archived' : ''}`,
  );
  const staff = useFreshResource<{ items: User[] }>(
    can(me.user, 'staff.manage') ? `${base}/staff` : null,
  );
  const activityById = useMemo(
    () => new Map(activities.status === 'ready' ? activities.data.items.map((a) => [a.id, a]) : []),
    [activities],
  );
  const deciders: DeciderNames = useMemo(
    () => ({
      me: me.user.id,
      names: new Map(
        staff.status === 'ready' ? staff.data.items.map((u) => [u.id, u.displayName]) : [],
      ),
    }),
    [me.user.id, staff],
  );

  const queryOf = useCallback(
    (offset: number) => {
      const params = new URLSearchParams({
        sort: filters.sort,
        limit: String(PAGE_SIZE),
        offset: String(offset),
      });
      if (filters.status) params.set('status', filters.status);
      if (filters.activityId) params.set('activityId', filters.activityId);
      if (filters.risk) params.set('risk', filters.risk);
      return `${base}/claims?${params}`;
    },
    [base, filters],
  );

  useEffect(() => {
    const controller = new AbortController();
    // `attempt` is read so that a retry loads again.
    void attempt;
    setQueue({ status: 'loading' });
    getJson<ClaimPage>(queryOf(0), controller.signal).then(
      (page) => {
        setQueue({
          status: 'ready',
          items: page.items,
          total: page.total ?? page.items.length,
          more: false,
        });
        setSelected(page.items[0]?.id ?? null);
        setChecked(new Set());
        setFocusPane(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setQueue({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('network', null, null),
        });
      },
    );
    return () => controller.abort();
  }, [queryOf, attempt]);

  const items = queue.status === 'ready' ? queue.items : [];
  const ids = items.map((c) => c.id);
  const index = selected ? ids.indexOf(selected) : -1;
  const activityName = (id: string) =>
    activityById.get(id)?.current.names[locale] ?? t('review.queue.unknownActivity');

  const open = (id: string | null, announce = true) => {
    setSelected(id);
    setFocusPane(false);
    setVersion((n) => n + 1);
    if (!id) return;
    const at = ids.indexOf(id);
    const claim = items[at];
    if (announce && claim) {
      setAnnouncement(
        t('review.queue.opened', {
          number: formatCount(at + 1, locale),
          total: formatCount(ids.length, locale),
          activity: activityName(claim.activityId),
        }),
      );
    }
    document
      .querySelector(`[data-claim-row="${CSS.escape(id)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  };

  const loadMore = async () => {
    if (queue.status !== 'ready') return;
    setQueue({ ...queue, more: true });
    try {
      const page = await getJson<ClaimPage>(queryOf(queue.items.length));
      setQueue({
        status: 'ready',
        items: [...queue.items, ...page.items.filter((c) => !ids.includes(c.id))],
        total: page.total ?? queue.total,
        more: false,
      });
    } catch (error) {
      setFailure(error);
      setQueue({ ...queue, more: false });
    }
  };

  const onDecided = (claim: Claim, message: string) => {
    if (queue.status !== 'ready') return;
    const stays = filters.status === '' || filters.status === claim.status;
    setChecked((now) => new Set([...now].filter((id) => id !== claim.id)));
    if (stays) {
      setQueue({ ...queue, items: queue.items.map((c) => (c.id === claim.id ? claim : c)) });
      setVersion((n) => n + 1);
      setFocusPane(true);
      setAnnouncement(message);
      return;
    }
    const next = nextAfterDecision(ids, claim.id);
    setQueue({
      ...queue,
      items: queue.items.filter((c) => c.id !== claim.id),
      total: Math.max(0, queue.total - 1),
    });
    setSelected(next);
    setVersion((n) => n + 1);
    setFocusPane(true);
    setAnnouncement(
      next ? `${message} ${t('review.queue.nextOpened')}` : `${message} ${t('review.queue.done')}`,
    );
  };

  // The queue's keys, wherever the focus is on the page (but not while typing or in a dialog).
  const keyState = useRef({ ids, selected, open });
  keyState.current = { ids, selected, open };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : document.body;
      const action = reviewKeyAction({
        key: event.key,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        target: {
          tagName: target.tagName,
          type: target instanceof HTMLInputElement ? target.type : undefined,
          isContentEditable: target.isContentEditable,
          inDialog: target.closest('[role="dialog"]') !== null,
        },
      });
      if (!action) return;
      event.preventDefault();
      const state = keyState.current;
      if (action === 'next' || action === 'previous') {
        const id = neighbour(state.ids, state.selected, action === 'next' ? 1 : -1);
        if (id && id !== state.selected) state.open(id);
      } else if (action === 'approve') {
        actions.current?.approve();
      } else {
        actions.current?.reject();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const bulkApprove = async () => {
    const claimIds = ids.filter((id) => checked.has(id));
    // What each claim was, to name the refused ones once the queue has loaded again.
    const labels = new Map(
      items.map((c) => [
        c.id,
        `${activityName(c.activityId)}, ${formatDateTime(c.submittedAt, locale)}`,
      ]),
    );
    setConfirming(false);
    setBulkBusy(true);
    setFailure(null);
    setBulkResult(null);
    try {
      const result = await postJson<BulkApproveResult>(`${base}/claims/approve`, { claimIds });
      setBulkResult({ result, labels });
      const approved = result.items.filter((r) => r.status === 'approved').length;
      setAnnouncement(t('review.bulk.doneCount', { approved: formatCount(approved, locale) }));
      setAttempt((n) => n + 1);
    } catch (error) {
      setFailure(error);
    } finally {
      setBulkBusy(false);
    }
  };

  const setFilter = (next: Partial<Filters>) => {
    setBulkResult(null);
    setFilters({ ...filters, ...next });
  };
  const bulk = canReview && filters.status === 'submitted';
  const selectable = bulk ? items : [];
  const allChecked = selectable.length > 0 && selectable.every((c) => checked.has(c.id));
  const checkedCount = selectable.filter((c) => checked.has(c.id)).length;
  const showStatus = filters.status !== 'submitted';

  return (
    <Stack gap="md">
      <Text>{canReview ? t('review.queue.intro') : t('review.queue.introReadOnly')}</Text>
      <Group
        align="flex-end"
        gap="sm"
        wrap="wrap"
        component="section"
        aria-label={t('review.queue.filters')}
      >
        <NativeSelect
          label={t('review.queue.status')}
          value={filters.status}
          onChange={(event) =>
            setFilter({ status: event.currentTarget.value as Filters['status'] })
          }
          data={[
            ...CLAIM_STATUSES.map((s) => ({ value: s, label: t(`review.statuses.${s}`) })),
            { value: '', label: t('review.queue.anyStatus') },
          ]}
          data-testid="filter-status"
        />
        <NativeSelect
          label={t('review.queue.activity')}
          value={filters.activityId}
          onChange={(event) => setFilter({ activityId: event.currentTarget.value })}
          data={[
            { value: '', label: t('review.queue.anyActivity') },
            ...[...activityById.values()]
              .sort((a, b) => a.current.names[locale].localeCompare(b.current.names[locale]))
              .map((a) => ({ value: a.id, label: a.current.names[locale] })),
          ]}
          data-testid="filter-activity"
          w="16rem"
        />
        <NativeSelect
          label={t('review.queue.risk')}
          value={filters.risk}
          onChange={(event) => setFilter({ risk: event.currentTarget.value as Filters['risk'] })}
          data={[
            { value: '', label: t('review.queue.anyRisk') },
            ...[...RISK_LEVELS].reverse().map((r) => ({
              value: r,
              label: t(`review.risk.levels.${r}`),
            })),
          ]}
          data-testid="filter-risk"
        />
        <NativeSelect
          label={t('review.queue.sort')}
          value={filters.sort}
          onChange={(event) => setFilter({ sort: event.currentTarget.value as Sort })}
          data={SORTS.map((s) => ({ value: s, label: t(`review.queue.sorts.${s}`) }))}
          data-testid="filter-sort"
        />
      </Group>
      <Text className={local.keyHint} data-testid="key-hint">
        {t('review.keys.intro')}{' '}
        {(Object.keys(KEY_LABELS) as (keyof typeof KEY_LABELS)[])
          .filter((action) => canReview || action === 'next' || action === 'previous')
          .map((action, i) => (
            <span key={action}>
              {i > 0 && ' · '}
              {KEY_LABELS[action].map((key, k) => (
                <span key={key}>
                  {k > 0 && ` ${t('review.keys.or')} `}
                  <kbd>{key}</kbd>
                </span>
              ))}{' '}
              {t(`review.keys.${action}`)}
            </span>
          ))}
      </Text>
      <div role="status" aria-live="polite" className={classes.status} data-testid="queue-status">
        {announcement}
      </div>
      {failure !== null && <ActionError error={failure} />}
      {bulkResult && <BulkSummary result={bulkResult.result} labels={bulkResult.labels} />}
      {queue.status === 'loading' && <LoadingState label={t('review.queue.loading')} />}
      {queue.status === 'error' && (
        <ErrorState error={queue.error} onRetry={() => setAttempt((n) => n + 1)} />
      )}
      {queue.status === 'ready' && (
        <div className={local.queue}>
          <Stack gap="sm">
            <Group justify="space-between" align="center" wrap="wrap" gap="xs">
              <Text fw={700} data-testid="queue-count">
                {filters.status === 'submitted'
                  ? t(`review.queue.waiting.${pluralForm(queue.total, locale)}`, {
                      number: formatCount(queue.total, locale),
                    })
                  : t(`review.queue.found.${pluralForm(queue.total, locale)}`, {
                      total: formatCount(queue.total, locale),
                    })}
              </Text>
              {bulk && selectable.length > 0 && (
                <Button
                  size="sm"
                  variant="default"
                  className={classes.action}
                  disabled={checkedCount === 0}
                  loading={bulkBusy}
                  onClick={() => setConfirming(true)}
                  data-testid="bulk-approve"
                >
                  {t('review.bulk.approve', { number: formatCount(checkedCount, locale) })}
                </Button>
              )}
            </Group>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
            <section className={classes.scroll} tabIndex={0} aria-label={t('review.queue.caption')}>
              <Table
                miw={300}
                striped
                highlightOnHover
                verticalSpacing={4}
                horizontalSpacing="xs"
                data-testid="review-queue"
              >
                <caption className={classes.caption}>{t('review.queue.caption')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    {bulk && (
                      <Table.Th scope="col">
                        <Checkbox
                          aria-label={t('review.bulk.selectAll')}
                          checked={allChecked}
                          indeterminate={!allChecked && checkedCount > 0}
                          disabled={selectable.length === 0}
                          onChange={(event) =>
                            setChecked(
                              event.currentTarget.checked
                                ? new Set(selectable.map((c) => c.id))
                                : new Set(),
                            )
                          }
                        />
                      </Table.Th>
                    )}
                    <Table.Th
                      scope="col"
                      aria-sort={
                        filters.sort === 'oldest'
                          ? 'ascending'
                          : filters.sort === 'newest'
                            ? 'descending'
                            : undefined
                      }
                    >
                      {t('review.queue.request')}
                    </Table.Th>
                    <Table.Th scope="col" className={classes.numeric}>
                      {t('review.queue.points')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={3}>
                        {filters.status === 'submitted'
                          ? t('review.queue.empty')
                          : t('staffArea.table.empty')}
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    items.map((claim) => {
                      const current = claim.id === selected;
                      const name = activityName(claim.activityId);
                      const when = formatDateTime(claim.submittedAt, locale);
                      return (
                        <Table.Tr
                          key={claim.id}
                          className={local.row}
                          data-current={current}
                          data-claim-row={claim.id}
                          aria-current={current ? 'true' : undefined}
                        >
                          {bulk && (
                            <Table.Td>
                              <Checkbox
                                aria-label={t('review.bulk.select', { activity: name, date: when })}
                                checked={checked.has(claim.id)}
                                disabled={claim.status !== 'submitted'}
                                onChange={(event) => {
                                  const on = event.currentTarget.checked;
                                  setChecked((now) => {
                                    const next = new Set(now);
                                    if (on) next.add(claim.id);
                                    else next.delete(claim.id);
                                    return next;
                                  });
                                }}
                              />
                            </Table.Td>
                          )}
                          <Table.Td>
                            <UnstyledButton
                              className={local.rowButton}
                              onClick={() => open(claim.id)}
                              aria-label={t('review.queue.openClaim', {
                                activity: name,
                                date: when,
                              })}
                              data-testid="open-claim"
                            >
                              {name}
                            </UnstyledButton>
                            <Text size="xs" className={classes.nowrap}>
                              {when}
                            </Text>
                            <Group gap={6} mt={2} wrap="wrap" align="center">
                              <RiskBadge risk={claim.risk} />
                              {claim.flags.length > 0 && (
                                <Text size="xs" c="gray.8" data-testid="row-flags">
                                  {[
                                    ...new Set(claim.flags.map((f) => flagText(f, t, locale).name)),
                                  ].join(' · ')}
                                </Text>
                              )}
                            </Group>
                            {showStatus && (
                              <Group gap={6} mt={4} wrap="wrap" align="center">
                                <ClaimStatusBadge status={claim.status} />
                                {(claim.status === 'approved' || claim.status === 'rejected') && (
                                  <Text size="xs" data-testid="row-decided-by">
                                    {t('review.queue.decidedByWho', {
                                      who: deciderName(claim.decidedBy, deciders, t),
                                    })}
                                  </Text>
                                )}
                              </Group>
                            )}
                          </Table.Td>
                          <Table.Td className={classes.numeric}>
                            {formatCount(
                              claim.status === 'approved' ? claim.points : claim.requestedPoints,
                              locale,
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })
                  )}
                </Table.Tbody>
              </Table>
            </section>
            {queue.items.length < queue.total && (
              <Button
                variant="default"
                loading={queue.more}
                onClick={() => void loadMore()}
                className={classes.touch}
                style={{ alignSelf: 'flex-start' }}
              >
                {t('staffArea.audit.loadMore')}
              </Button>
            )}
          </Stack>
          <section aria-label={t('review.pane.label')}>
            {selected ? (
              <ClaimPane
                key={`${selected}:${version}`}
                municipality={municipality}
                claimId={selected}
                canReview={canReview}
                activities={activityById}
                deciders={deciders}
                position={index >= 0 ? { index, total: ids.length } : null}
                focusOnLoad={focusPane}
                actions={actions}
                onDecided={onDecided}
                onOpenClaim={(id) => open(id, false)}
              />
            ) : (
              items.length > 0 && <Text data-testid="nothing-open">{t('review.pane.nothing')}</Text>
            )}
          </section>
        </div>
      )}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t(`review.bulk.confirmTitle.${pluralForm(checkedCount, locale)}`, {
          number: formatCount(checkedCount, locale),
        })}
        closeButtonProps={{ 'aria-label': t('staffArea.close') }}
      >
        <Stack gap="md">
          <Text>{t('review.bulk.confirmText')}</Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => setConfirming(false)}
              className={classes.touch}
            >
              {t('staffArea.cancel')}
            </Button>
            <Button onClick={() => void bulkApprove()} className={classes.touch} data-autofocus>
              {t('review.bulk.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function BulkSummary({
  result,
  labels,
}: {
  result: BulkApproveResult;
  labels: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const approved = result.items.filter((r) => r.status === 'approved');
  const refused = result.items.filter((r) => r.status === 'refused');
  return (
    <Alert
      color={refused.length > 0 ? 'notice' : 'civic'}
      variant="light"
      icon={<AlertIcon />}
      data-testid="bulk-result"
    >
      <Text fw={600}>
        {t('review.bulk.doneCount', { approved: formatCount(approved.length, locale) })}
      </Text>
      {refused.length > 0 && (
        <>
          <Text mt={4}>
            {t('review.bulk.refusedCount', { refused: formatCount(refused.length, locale) })}
          </Text>
          <ul className={classes.diff}>
            {refused.map((r) => {
              const code = explainDecisionError(r.code ?? '');
              return (
                <li key={r.id}>
                  {t('review.bulk.refusedItem', {
                    claim: labels.get(r.id) ?? r.id,
                    reason: code ? t(`review.errors.${code}`) : t('staffArea.errors.server'),
                  })}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Alert>
  );
}
