import {
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount, formatDate } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { ActionError } from '../ActionError';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { ClaimMap } from './ClaimMap';
import { ClaimPhotos } from './ClaimPhotos';
import local from './earning.module.css';
import { pointsFor } from './earningFormat';
import type { Activity, Claim, ClaimDetail, RejectReason } from './earningTypes';
import { ClaimStatusBadge, flagText, quantityText, RiskBadge } from './labels';
import { RejectDialog } from './RejectDialog';
import { type DeciderNames, deciderName, explainDecisionError } from './reviewText';

/** What the queue's keys ask of the open claim. */
export interface PaneActions {
  approve: () => void;
  reject: () => void;
}

interface ClaimPaneProps {
  municipality: Municipality;
  claimId: string;
  canReview: boolean;
  /** The catalogue, for the names of the activities in the resident's history. */
  activities: ReadonlyMap<string, Activity>;
  deciders: DeciderNames;
  /** Where the claim is in the queue, when it is in it. */
  position: { index: number; total: number } | null;
  /** Move the focus to the claim's heading once it is shown (after a decision). */
  focusOnLoad: boolean;
  actions: RefObject<PaneActions | null>;
  onDecided: (claim: Claim, message: string) => void;
  onOpenClaim: (claimId: string) => void;
}

/**
 * One claim for a reviewer: what was asked, the photos, the map and the flags side by side, the
 * resident and their history, and the decision (approve, optionally with another quantity and a
 * note; or reject with a reason) — or, once decided, who decided what and when.
 */
export function ClaimPane(props: ClaimPaneProps) {
  const { t } = useTranslation();
  const claimPath = `${municipalityPath(props.municipality)}/claims/${encodeURIComponent(props.claimId)}`;
  const detail = useFreshResource<ClaimDetail>(claimPath);
  if (detail.status === 'loading') return <LoadingState label={t('review.pane.loading')} />;
  if (detail.status === 'error') return <ErrorState error={detail.error} onRetry={detail.reload} />;
  return (
    <LoadedClaim {...props} claimPath={claimPath} detail={detail.data} reload={detail.reload} />
  );
}

function LoadedClaim({
  municipality,
  canReview,
  activities,
  deciders,
  position,
  focusOnLoad,
  actions,
  onDecided,
  onOpenClaim,
  claimPath,
  detail,
  reload,
}: ClaimPaneProps & { claimPath: string; detail: ClaimDetail; reload: () => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { claim, activity, resident, history } = detail;
  // The terms the claim was made under (its site, its points), not today's.
  const terms = detail.terms ?? activity.current;
  const named = detail.decidedByName
    ? {
        ...deciders,
        names: new Map([...deciders.names, [claim.decidedBy?.id ?? '', detail.decidedByName]]),
      }
    : deciders;
  const name = terms.names[locale];
  const perUnit = terms.points.mode === 'per_unit' ? terms.points : null;
  const [quantity, setQuantity] = useState(String(claim.quantity));
  const [quantityError, setQuantityError] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const waiting = claim.status === 'submitted';
  const decidable = waiting && canReview;

  useEffect(() => {
    if (focusOnLoad) heading.current?.focus();
  }, [focusOnLoad]);

  const fail = (error: unknown) => {
    setFailure(error);
    if (error instanceof ApiError && error.code === 'claim_decided') reload();
  };

  const approve = async () => {
    if (!decidable) {
      setNotice(canReview ? t('review.pane.alreadyDecided') : t('review.pane.reviewersOnly'));
      return;
    }
    if (busy) return;
    let adjusted: number | undefined;
    if (perUnit) {
      const value = Number(quantity.trim().replace(',', '.'));
      if (!(value > 0) || Math.round(value * 1000) / 1000 !== value) {
        setQuantityError(true);
        document.getElementById('review-quantity')?.focus();
        return;
      }
      if (value !== claim.quantity) adjusted = value;
    }
    setQuantityError(false);
    setFailure(null);
    setBusy('approve');
    try {
      const approved = await postJson<Claim>(`${claimPath}/approve`, {
        ...(adjusted !== undefined && { quantity: adjusted }),
        ...(note.trim() && { note: note.trim() }),
      });
      onDecided(
        approved,
        t('review.done.approved', {
          points: formatCount(approved.points, locale),
          activity: name,
        }),
      );
    } catch (error) {
      fail(error);
      setBusy(null);
    }
  };

  const reject = async (reason: RejectReason, rejectNote: string) => {
    setFailure(null);
    setBusy('reject');
    try {
      const rejected = await postJson<Claim>(`${claimPath}/reject`, {
        reason,
        ...(rejectNote && { note: rejectNote }),
      });
      setRejecting(false);
      onDecided(rejected, t('review.done.rejected', { activity: name }));
    } catch (error) {
      setRejecting(false);
      fail(error);
      setBusy(null);
    }
  };

  const openReject = () => {
    if (!decidable) {
      setNotice(canReview ? t('review.pane.alreadyDecided') : t('review.pane.reviewersOnly'));
      return;
    }
    if (!busy) setRejecting(true);
  };

  // The queue's keys call the latest of these.
  const latest = useRef<PaneActions>({ approve: () => {}, reject: () => {} });
  latest.current = { approve: () => void approve(), reject: openReject };
  useEffect(() => {
    actions.current = {
      approve: () => latest.current.approve(),
      reject: () => latest.current.reject(),
    };
    return () => {
      actions.current = null;
    };
  }, [actions]);

  const asked = perUnit
    ? t('review.pane.askedPerUnit', {
        quantity: quantityText(claim.quantity, perUnit.unit, t, locale),
        points: formatCount(claim.requestedPoints, locale),
      })
    : t('review.pane.askedFixed', { points: formatCount(claim.requestedPoints, locale) });
  const explained = failure === null ? null : explainDecisionError(failure);
  const typed = Number(quantity.trim().replace(',', '.'));
  const newPoints = perUnit && typed > 0 ? pointsFor(perUnit, typed) : null;

  const historyColumns: Column<Claim>[] = [
    {
      key: 'submittedAt',
      label: t('review.history.when'),
      sortValue: (c) => c.submittedAt,
      render: (c) => (
        <UnstyledButton className={local.rowButton} onClick={() => onOpenClaim(c.id)}>
          {formatDateTime(c.submittedAt, locale)}
        </UnstyledButton>
      ),
    },
    {
      key: 'activity',
      label: t('review.history.activity'),
      render: (c) =>
        activities.get(c.activityId)?.current.names[locale] ??
        (c.activityId === activity.id ? name : t('review.history.otherActivity')),
    },
    {
      key: 'status',
      label: t('review.history.status'),
      sortValue: (c) => c.status,
      render: (c) => <ClaimStatusBadge status={c.status} />,
    },
    {
      key: 'points',
      label: t('review.history.points'),
      numeric: true,
      sortValue: (c) => c.points,
      render: (c) => formatCount(c.points, locale),
    },
    {
      key: 'flags',
      label: t('review.history.flags'),
      render: (c) => (c.flags.length === 0 ? '' : <RiskBadge risk={c.risk} />),
    },
  ];

  return (
    <Stack gap="md" data-testid="claim-pane" data-claim-id={claim.id}>
      <div>
        <Title order={2} size="h3" ref={heading} tabIndex={-1} className={local.paneHeading}>
          {name}
        </Title>
        <Group gap="xs" mt={6} wrap="wrap">
          <ClaimStatusBadge status={claim.status} />
          <RiskBadge risk={claim.risk} />
          {position && (
            <Text size="sm" c="dimmed" component="span">
              {t('review.pane.position', {
                number: formatCount(position.index + 1, locale),
                total: formatCount(position.total, locale),
              })}
            </Text>
          )}
        </Group>
      </div>

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
        <Fact term={t('review.pane.asked')} value={asked} testId="claim-asked" />
        <Fact term={t('review.pane.occurredAt')} value={formatDateTime(claim.occurredAt, locale)} />
        <Fact
          term={t('review.pane.submittedAt')}
          value={formatDateTime(claim.submittedAt, locale)}
        />
        <Fact term={t('review.pane.method')} value={t(`catalogue.methods.${claim.method}`)} />
        {claim.note && <Fact term={t('review.pane.residentNote')} value={claim.note} />}
        {claim.appealedAt && (
          <Fact
            term={t('review.pane.appeal', { date: formatDateTime(claim.appealedAt, locale) })}
            value={claim.appealNote ?? ''}
          />
        )}
      </SimpleGrid>

      <div className={local.evidence}>
        <Paper
          withBorder
          radius="md"
          p="sm"
          component="section"
          aria-labelledby="claim-photos-title"
        >
          <Title order={3} size="h5" id="claim-photos-title" mb="xs">
            {t('review.photos.title')}
          </Title>
          <ClaimPhotos claimPath={claimPath} photoIds={claim.photoIds} />
        </Paper>
        <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="claim-map-title">
          <Title order={3} size="h5" id="claim-map-title" mb="xs">
            {t('review.map.title')}
          </Title>
          <ClaimMap
            slug={municipality.slug}
            municipalityName={municipality.names[locale]}
            claim={claim}
            site={terms.site}
          />
        </Paper>
        <Paper
          withBorder
          radius="md"
          p="sm"
          component="section"
          aria-labelledby="claim-flags-title"
        >
          <Title order={3} size="h5" id="claim-flags-title" mb="xs">
            {t('review.flags.title')}
          </Title>
          {claim.flags.length === 0 ? (
            <Text data-testid="no-flags">{t('review.flags.none')}</Text>
          ) : (
            <ul className={local.flags} data-testid="claim-flags">
              {claim.flags.map((flag, index) => {
                const text = flagText(flag, t, locale);
                const earlier =
                  typeof flag.detail.claimId === 'string' ? flag.detail.claimId : null;
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a claim can carry a flag twice (two photos)
                  <li key={`${flag.code}-${index}`} data-flag={flag.code}>
                    <Group gap="xs" wrap="wrap">
                      <Text fw={700} component="span">
                        {text.name}
                      </Text>
                      <RiskBadge risk={flag.risk} />
                    </Group>
                    <Text size="sm" mt={2}>
                      {text.detail}
                    </Text>
                    {earlier && (
                      <UnstyledButton
                        className={local.linkButton}
                        onClick={() => onOpenClaim(earlier)}
                      >
                        {t('review.flags.openEarlier')}
                      </UnstyledButton>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Paper>
      </div>

      <Paper
        withBorder
        radius="md"
        p="sm"
        component="section"
        aria-labelledby="claim-decision-title"
      >
        <Title order={3} size="h5" id="claim-decision-title" mb="xs">
          {t('review.decision.title')}
        </Title>
        <div role="status" aria-live="polite" className={classes.status}>
          {notice}
        </div>
        {failure !== null &&
          (explained ? (
            <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mb="sm">
              {t(`review.errors.${explained}`)}
            </Alert>
          ) : (
            <ActionError error={failure} />
          ))}
        {!waiting && (
          <Text data-testid="decided-by">
            {claim.status === 'withdrawn'
              ? t('review.decision.withdrawn', {
                  date: formatDateTime(claim.decidedAt ?? claim.submittedAt, locale),
                })
              : claim.status === 'approved'
                ? t('review.decision.approvedBy', {
                    who: deciderName(claim.decidedBy, named, t),
                    date: formatDateTime(claim.decidedAt ?? claim.submittedAt, locale),
                    points: formatCount(claim.points, locale),
                  })
                : t('review.decision.rejectedBy', {
                    who: deciderName(claim.decidedBy, named, t),
                    date: formatDateTime(claim.decidedAt ?? claim.submittedAt, locale),
                    reason: t(`review.reasons.${claim.rejectReason ?? 'other'}`),
                  })}
          </Text>
        )}
        {!waiting && claim.decisionNote && (
          <Text size="sm" mt={4}>
            {t('review.decision.noteWas', { note: claim.decisionNote })}
          </Text>
        )}
        {waiting && !canReview && <Text>{t('review.pane.reviewersOnly')}</Text>}
        {decidable && (
          <Stack gap="sm">
            {perUnit && (
              <TextInput
                id="review-quantity"
                label={t('review.decision.quantity', {
                  unit: t(`catalogue.unitNames.${perUnit.unit}`),
                })}
                description={
                  newPoints !== null
                    ? t('review.decision.quantityHint', {
                        points: formatCount(newPoints, locale),
                        max: formatCount(perUnit.maxPointsPerClaim, locale),
                      })
                    : undefined
                }
                inputMode="decimal"
                maw="16rem"
                value={quantity}
                onChange={(event) => setQuantity(event.currentTarget.value)}
                error={quantityError ? t('review.decision.quantityError') : undefined}
              />
            )}
            <Textarea
              label={t('review.decision.note')}
              description={t('review.decision.noteHint')}
              autosize
              minRows={1}
              maxLength={1000}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group gap="sm">
              <Button
                onClick={() => void approve()}
                loading={busy === 'approve'}
                disabled={busy !== null && busy !== 'approve'}
                className={classes.touch}
                aria-keyshortcuts="a"
                data-testid="approve"
              >
                {t('review.decision.approve')}
              </Button>
              <Button
                variant="outline"
                color="red.8"
                onClick={openReject}
                loading={busy === 'reject'}
                disabled={busy !== null && busy !== 'reject'}
                className={classes.touch}
                aria-keyshortcuts="r"
                data-testid="reject"
              >
                {t('review.decision.reject')}
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>

      <Paper
        withBorder
        radius="md"
        p="sm"
        component="section"
        aria-labelledby="claim-resident-title"
      >
        <Title order={3} size="h5" id="claim-resident-title" mb="xs">
          {t('review.resident.title')}
        </Title>
        <Text data-testid="resident-facts">
          {t('review.resident.facts', {
            code: resident.memberCode,
            since: formatDate(resident.createdAt, locale),
          })}
        </Text>
        {resident.displayName && <Text size="sm">{resident.displayName}</Text>}
        <Title order={4} size="h6" mt="sm" mb={4}>
          {t('review.history.title')}
        </Title>
        {history.length === 0 ? (
          <Text data-testid="no-history">{t('review.history.none')}</Text>
        ) : (
          <DataTable
            caption={t('review.history.caption', { code: resident.memberCode })}
            columns={historyColumns}
            rows={history}
            rowKey={(c) => c.id}
            initialSort={{ key: 'submittedAt', direction: 'descending' }}
            testId="resident-history"
            minWidth={520}
          />
        )}
      </Paper>

      {rejecting && (
        <RejectDialog
          activityName={name}
          busy={busy === 'reject'}
          onCancel={() => {
            setRejecting(false);
            heading.current?.focus();
          }}
          onReject={(reason, rejectNote) => void reject(reason, rejectNote)}
        />
      )}
    </Stack>
  );
}

function Fact({ term, value, testId }: { term: string; value: string; testId?: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {term}
      </Text>
      <Text component="dd" m={0} fw={600} data-testid={testId} className={classes.wrap}>
        {value}
      </Text>
    </div>
  );
}
