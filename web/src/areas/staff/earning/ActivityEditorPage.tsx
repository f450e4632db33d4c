import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, postJson, putJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useLocale } from '../../../i18n/useLocale';
import type { Partner } from '../../partners/partnersApi';
import { ActionError } from '../ActionError';
import { formatDateTime } from '../format';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { FormErrorsAlert } from '../terms/FormParts';
import { useFreshResource } from '../useList';
import { ActivityForm, fieldId } from './ActivityForm';
import {
  type ActivityDraft,
  draftFromTerms,
  effectiveFromOf,
  emptyDraft,
  type FieldErrors,
  type MessageCode,
  placeApiErrors,
  termsFromDraft,
} from './activityDraft';
import local from './earning.module.css';
import type { Activity } from './earningTypes';
import { pointsText } from './labels';

/** `/staff/activities/new`: an admin adds an activity to the catalogue. */
export function NewActivityPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('catalogue.editor.newTitle')} permission="catalog.manage">
      {(municipality) => <ActivityEditor municipality={municipality} activity={null} />}
    </StaffGate>
  );
}

/** `/staff/activities/:activityId`: an activity's terms, announced changes and a new change. */
export function ActivityPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { activityId = '' } = useParams();
  const [title, setTitle] = useState(t('catalogue.editor.changeTitle'));
  const onName = useCallback(
    (activity: Activity) => setTitle(activity.current.names[locale]),
    [locale],
  );
  return (
    <StaffGate title={title} permission="catalog.manage">
      {(municipality) => (
        <LoadedActivity municipality={municipality} activityId={activityId} onName={onName} />
      )}
    </StaffGate>
  );
}

function LoadedActivity({
  municipality,
  activityId,
  onName,
}: {
  municipality: Municipality;
  activityId: string;
  onName: (activity: Activity) => void;
}) {
  const { t } = useTranslation();
  const resource = useFreshResource<Activity>(
    `${municipalityPath(municipality)}/activities/${encodeURIComponent(activityId)}`,
  );
  const loaded = resource.status === 'ready' ? resource.data : null;
  useEffect(() => {
    if (loaded) onName(loaded);
  }, [loaded, onName]);
  if (resource.status === 'loading') return <LoadingState label={t('catalogue.editor.loading')} />;
  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  return <ActivityEditor municipality={municipality} activity={resource.data} />;
}

function ActivityEditor({
  municipality,
  activity: initial,
}: {
  municipality: Municipality;
  activity: Activity | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const base = municipalityPath(municipality);
  const partners = useFreshResource<{ items: Partner[] }>(`${base}/partners`);
  const arrived = (useLocation().state as { done?: string } | null)?.done ?? null;
  const [activity, setActivity] = useState(initial);
  const [draft, setDraft] = useState<ActivityDraft>(() =>
    initial ? draftFromTerms(initial.code, initial.current) : emptyDraft(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<MessageCode[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(arrived);
  const mode = activity ? 'change' : 'create';

  const focusFirst = (found: FieldErrors) => {
    const first = Object.keys(found)[0];
    // After the render that shows the errors, so that the field exists and says why.
    if (first) setTimeout(() => document.getElementById(fieldId(first))?.focus(), 0);
  };

  const submit = async () => {
    setDone(null);
    setFailure(null);
    setUnplaced([]);
    const read = termsFromDraft(draft);
    const effective = activity ? effectiveFromOf(draft) : {};
    const found: FieldErrors = { ...read.errors };
    if (effective.error) found['/effectiveFrom'] = effective.error;
    if (!read.terms || effective.error) {
      setErrors(found);
      focusFirst(found);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      if (!activity) {
        const created = await postJson<Activity>(`${base}/activities`, {
          code: draft.code.trim(),
          terms: read.terms,
        });
        navigate(`/staff/activities/${encodeURIComponent(created.id)}`, {
          state: { done: t('catalogue.editor.created', { name: created.current.names[locale] }) },
        });
        return;
      }
      const changed = await putJson<Activity>(
        `${base}/activities/${encodeURIComponent(activity.id)}/terms`,
        { terms: read.terms, ...(effective.at && { effectiveFrom: effective.at }) },
      );
      setActivity(changed);
      setDraft({ ...draft, effective: 'now', effectiveFrom: '' });
      setDone(
        effective.at
          ? t('catalogue.editor.announced', { date: formatDateTime(effective.at, locale) })
          : t('catalogue.editor.changed'),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'activity_exists') {
        const next = { '/code': 'exists' };
        setErrors(next);
        focusFirst(next);
      } else if (error instanceof ApiError && error.errors.length > 0) {
        const placed = placeApiErrors(error.errors);
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

  const setStatus = async (next: Activity['status']) => {
    if (!activity) return;
    setBusy(true);
    setDone(null);
    setFailure(null);
    try {
      const saved = await putJson<Activity>(
        `${base}/activities/${encodeURIComponent(activity.id)}/status`,
        { status: next },
      );
      setActivity(saved);
      const name = saved.current.names[locale];
      setDone(
        next === 'archived'
          ? t('catalogue.list.archived', { name })
          : t('catalogue.list.restored', { name }),
      );
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const fieldCount = Object.keys(errors).length + unplaced.length;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/activities" style={{ alignSelf: 'flex-start' }}>
        {t('catalogue.editor.back')}
      </Anchor>
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {activity && (
        <Paper withBorder radius="md" p="md" data-testid="activity-summary">
          <Stack gap="xs">
            <Group gap="sm" wrap="wrap">
              <span className={classes.code}>{activity.code}</span>
              <span className={local.status} data-status={activity.status}>
                {t(`catalogue.statuses.${activity.status}`)}
              </span>
            </Group>
            <Text>
              {t('catalogue.editor.currentSince', {
                date: formatDateTime(activity.current.effectiveFrom, locale),
                points: pointsText(activity.current.points, t, locale),
              })}
            </Text>
            <Title order={2} size="h4">
              {t('catalogue.editor.upcomingTitle')}
            </Title>
            {activity.upcoming.length === 0 ? (
              <Text>{t('catalogue.editor.noUpcoming')}</Text>
            ) : (
              <ul className={classes.diff} data-testid="upcoming-changes">
                {activity.upcoming.map((v) => (
                  <li key={v.id}>
                    {t('catalogue.list.changeFrom', {
                      date: formatDateTime(v.effectiveFrom, locale),
                      points: pointsText(v.points, t, locale),
                    })}
                  </li>
                ))}
              </ul>
            )}
            <Text size="sm" c="dimmed">
              {t('catalogue.editor.keepTerms')}
            </Text>
            <Button
              variant="default"
              className={classes.action}
              loading={busy}
              style={{ alignSelf: 'flex-start' }}
              onClick={() => void setStatus(activity.status === 'archived' ? 'active' : 'archived')}
            >
              {activity.status === 'archived'
                ? t('catalogue.list.restore')
                : t('catalogue.list.archive')}
            </Button>
          </Stack>
        </Paper>
      )}
      {activity && (
        <Title order={2} size="h3">
          {t('catalogue.editor.changeHeading')}
        </Title>
      )}
      <ActivityForm
        mode={mode}
        draft={draft}
        onChange={setDraft}
        errors={errors}
        partners={partners.status === 'ready' ? partners.data.items : []}
        submitting={submitting}
        onSubmit={() => void submit()}
        formError={
          <>
            {fieldCount > 0 && (
              <FormErrorsAlert messages={unplaced.map((code) => t(`catalogue.errors.${code}`))} />
            )}
            {failure !== null && <ActionError error={failure} />}
          </>
        }
      />
    </Stack>
  );
}
