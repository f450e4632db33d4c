import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, postJson, putJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import type { Partner } from '../../partners/partnersApi';
import { ActionError } from '../ActionError';
import local from '../earning/earning.module.css';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { FormErrorsAlert } from '../terms/FormParts';
import type { FieldErrors } from '../terms/termsDraft';
import { useFreshResource } from '../useList';
import { pointsText, rewardValueText } from './labels';
import { RewardForm, rewardFieldId, useRewardMessage } from './RewardForm';
import { useRewardStatus } from './RewardsPage';
import {
  draftFromReward,
  emptyRewardDraft,
  placeRewardErrors,
  type RewardDraft,
  type RewardMessageCode,
  rewardTermsFromDraft,
} from './rewardDraft';
import type { Reward } from './spendingTypes';

/** `/staff/rewards/new`: an admin adds a reward to the catalogue. */
export function NewRewardPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffRewards.editor.newTitle')} permission="catalog.manage">
      {(municipality) => <RewardEditor municipality={municipality} reward={null} />}
    </StaffGate>
  );
}

/** `/staff/rewards/:rewardId`: a reward's terms, its status, and a change. */
export function RewardPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { rewardId = '' } = useParams();
  const [title, setTitle] = useState(t('staffRewards.editor.changeTitle'));
  const onName = useCallback((reward: Reward) => setTitle(reward.names[locale]), [locale]);
  return (
    <StaffGate title={title} permission="catalog.manage">
      {(municipality) => (
        <LoadedReward municipality={municipality} rewardId={rewardId} onName={onName} />
      )}
    </StaffGate>
  );
}

function LoadedReward({
  municipality,
  rewardId,
  onName,
}: {
  municipality: Municipality;
  rewardId: string;
  onName: (reward: Reward) => void;
}) {
  const { t } = useTranslation();
  const resource = useFreshResource<Reward>(
    `${municipalityPath(municipality)}/rewards/${encodeURIComponent(rewardId)}`,
  );
  const loaded = resource.status === 'ready' ? resource.data : null;
  useEffect(() => {
    if (loaded) onName(loaded);
  }, [loaded, onName]);
  if (resource.status === 'loading')
    return <LoadingState label={t('staffRewards.editor.loading')} />;
  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  return <RewardEditor municipality={municipality} reward={resource.data} onName={onName} />;
}

function RewardEditor({
  municipality,
  reward: initial,
  onName,
}: {
  municipality: Municipality;
  reward: Reward | null;
  onName?: (reward: Reward) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const message = useRewardMessage();
  const base = municipalityPath(municipality);
  const partners = useFreshResource<{ items: Partner[] }>(`${base}/partners`);
  const arrived = (useLocation().state as { done?: string } | null)?.done ?? null;
  const [reward, setReward] = useState(initial);
  const [draft, setDraft] = useState<RewardDraft>(() =>
    initial ? draftFromReward(initial, locale) : emptyRewardDraft(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<RewardMessageCode[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<string | null>(arrived);
  const status = useRewardStatus(municipality);

  const focusFirst = (found: FieldErrors) => {
    const first = Object.keys(found)[0];
    // After the render that shows the errors, so that the field exists and says why.
    if (first) setTimeout(() => document.getElementById(rewardFieldId(first))?.focus(), 0);
  };

  const submit = async () => {
    setDone(null);
    setFailure(null);
    setUnplaced([]);
    const read = rewardTermsFromDraft(draft);
    if (!read.terms) {
      setErrors(read.errors);
      focusFirst(read.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      if (!reward) {
        const created = await postJson<Reward>(`${base}/rewards`, {
          code: draft.code.trim(),
          terms: read.terms,
        });
        navigate(`/staff/rewards/${encodeURIComponent(created.id)}`, {
          state: { done: t('staffRewards.editor.created', { name: created.names[locale] }) },
        });
        return;
      }
      const changed = await putJson<Reward>(`${base}/rewards/${encodeURIComponent(reward.id)}`, {
        terms: read.terms,
      });
      setReward(changed);
      onName?.(changed);
      setDone(t('staffRewards.editor.changed'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'reward_exists') {
        const next = { '/code': 'exists' };
        setErrors(next);
        focusFirst(next);
      } else if (error instanceof ApiError && error.errors.length > 0) {
        const placed = placeRewardErrors(error.errors);
        setErrors(placed.fields);
        setUnplaced(placed.unplaced);
        focusFirst(placed.fields);
      } else {
        setFailure(error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const toggle = async () => {
    if (!reward) return;
    setDone(null);
    const saved = await status.change(reward, reward.status === 'archived' ? 'active' : 'archived');
    if (saved) {
      setReward(saved);
      setDone(status.doneText(saved));
    }
  };

  const fieldCount = Object.keys(errors).length + unplaced.length;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/rewards" style={{ alignSelf: 'flex-start' }}>
        {t('staffRewards.editor.back')}
      </Anchor>
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {status.failure !== null && <ActionError error={status.failure} />}
      {reward && (
        <Paper withBorder radius="md" p="md" data-testid="reward-summary">
          <Stack gap="xs">
            <Group gap="sm" wrap="wrap">
              <span className={classes.code}>{reward.code}</span>
              <span className={local.status} data-status={reward.status}>
                {t(`catalogue.statuses.${reward.status}`)}
              </span>
            </Group>
            <Text>
              {t('staffRewards.editor.summary', {
                kind: t(`staffRewards.kinds.${reward.kind}`),
                price: pointsText(reward.pricePoints, t, locale),
                value: rewardValueText(reward, t, locale),
              })}
            </Text>
            <Text>
              {reward.stockLeft === null
                ? t('staffRewards.editor.noStock')
                : t('staffRewards.editor.stockLeft', {
                    left: formatCount(reward.stockLeft, locale),
                    stock: formatCount(reward.stock ?? 0, locale),
                  })}
            </Text>
            {reward.places.length > 0 && (
              <Text>
                {t('staffRewards.editor.places', {
                  places: reward.places.map((p) => p.name).join(', '),
                })}
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {t('staffRewards.editor.keepTerms')}
            </Text>
            <Button
              variant="default"
              className={classes.action}
              loading={status.busy === reward.id}
              style={{ alignSelf: 'flex-start' }}
              onClick={() => void toggle()}
            >
              {reward.status === 'archived'
                ? t('catalogue.list.restore')
                : t('catalogue.list.archive')}
            </Button>
          </Stack>
        </Paper>
      )}
      {reward && (
        <Title order={2} size="h3">
          {t('staffRewards.editor.changeHeading')}
        </Title>
      )}
      <RewardForm
        mode={reward ? 'change' : 'create'}
        draft={draft}
        onChange={setDraft}
        errors={errors}
        partners={partners.status === 'ready' ? partners.data.items : []}
        pointValueCents={municipality.pointValueCents}
        submitting={submitting}
        onSubmit={() => void submit()}
        formError={
          <>
            {fieldCount > 0 && <FormErrorsAlert messages={unplaced.map(message)} />}
            {failure !== null && <ActionError error={failure} />}
          </>
        }
      />
    </Stack>
  );
}
