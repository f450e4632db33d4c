import { Alert, Anchor, Badge, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { LeafletMap } from '../../map/LeafletMap';
import classes from '../../map/map.module.css';
import { boxAround } from '../../map/mapTypes';
import { formatDateTime } from '../staff/format';
import { CompleteTaskForm } from './CompleteTaskForm';
import { calendarUrl, claimTask, type PublicTask, releaseTask, useTask } from './tasksApi';

const CLAIM_ERRORS = ['task_full', 'task_already_claimed', 'task_not_open'] as const;
type ClaimError = (typeof CLAIM_ERRORS)[number] | 'network' | 'server';

const claimErrorOf = (error: unknown): ClaimError =>
  error instanceof ApiError && (CLAIM_ERRORS as readonly string[]).includes(error.code ?? '')
    ? (error.code as ClaimError)
    : error instanceof ApiError && error.kind !== 'network'
      ? 'server'
      : 'network';

/**
 * One task (`/tasks/:id`): what to do, where (a map with its radius), when, for how many
 * points, safety notes and materials; a resident claims a place, adds it to their calendar,
 * gives it back, or completes it with proof.
 */
export function TaskDetailPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const task = useTask(id);
  const title = task.status === 'ready' ? task.data.title[locale] : null;
  useDocumentTitle(title ?? t('tasks.detail.title'));

  if (task.status === 'loading') return <LoadingState label={t('tasks.detail.loading')} />;
  if (task.status === 'error') {
    return (
      <Container size="md" py="xl">
        <ErrorState error={task.error} onRetry={task.retry} headingLevel={1} />
      </Container>
    );
  }
  return <TaskDetail task={task.data} onChanged={task.retry} />;
}

function TaskDetail({ task, onChanged }: { task: PublicTask; onChanged: () => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const session = useSession();
  const signedIn = session.state.status === 'signedIn';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClaimError | null>(null);
  const claim = task.myClaim;
  const holding = claim?.status === 'claimed';

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (caught) {
      setError(claimErrorOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Text className={classes.kindTask}>{t('map.kind.task')}</Text>
          <Title order={1}>{task.title[locale]}</Title>
          <Group gap="sm" mt="xs">
            <Badge size="lg" color="civic">
              {t('tasks.points', { points: formatCount(task.bountyPoints, locale) })}
            </Badge>
            <Text>{t('tasks.slotsLeft', { slots: task.slotsLeft, total: task.slots })}</Text>
          </Group>
        </div>
        <div className={classes.layout}>
          <LeafletMap
            label={t('tasks.detail.map')}
            picked={{ lat: task.latitude, lon: task.longitude }}
            radiusMeters={task.radiusMeters}
            fit={boxAround(task.latitude, task.longitude, Math.max(task.extentMeters, 150))}
          />
          <Stack gap="sm">
            <Text>{task.description[locale]}</Text>
            <Text size="sm">
              {t('tasks.window', {
                start: formatDateTime(task.windowStart, locale),
                end: formatDateTime(task.windowEnd, locale),
              })}
            </Text>
            <Text size="sm">{t('tasks.minutes', { minutes: task.estimatedMinutes })}</Text>
            {task.safetyNotes?.[locale] && (
              <Alert color="notice" title={t('tasks.detail.safety')}>
                {task.safetyNotes[locale]}
              </Alert>
            )}
            {task.materials?.[locale] && (
              <div>
                <Text fw={700}>{t('tasks.detail.materials')}</Text>
                <Text>{task.materials[locale]}</Text>
              </div>
            )}
            <Text size="sm" className={classes.muted}>
              {t('tasks.detail.volunteer')}
            </Text>
          </Stack>
        </div>

        <section aria-labelledby="take-part-title">
          <Title order={2} size="h3" id="take-part-title" mb="sm">
            {t('tasks.detail.takePart')}
          </Title>
          <Stack gap="sm">
            {!signedIn && (
              <Text>
                {t('tasks.detail.signIn')}{' '}
                <Anchor component={Link} to="/sign-in">
                  {t('nav.signIn')}
                </Anchor>
              </Text>
            )}
            {signedIn && holding && claim && (
              <>
                <Text role="status" className={classes.kindTask} data-testid="task-held">
                  {t('tasks.detail.held', { until: formatDateTime(claim.expiresAt, locale) })}
                </Text>
                <Group gap="sm">
                  <Button
                    component="a"
                    href={calendarUrl(task.id)}
                    download
                    variant="light"
                    size="md"
                  >
                    {t('tasks.detail.calendar')}
                  </Button>
                  <Button
                    variant="default"
                    size="md"
                    className={classes.wrap}
                    loading={busy}
                    onClick={() => void act(() => releaseTask(task.id))}
                  >
                    {t('tasks.detail.release')}
                  </Button>
                </Group>
                <CompleteTaskForm task={task} onDone={onChanged} />
              </>
            )}
            {signedIn && claim && !holding && (
              <Text role="status" data-testid="task-claim-result">
                {t(`tasks.claimStatus.${claim.outcome ?? claim.status}`)}
              </Text>
            )}
            {signedIn && !holding && claim?.status !== 'completed' && task.status === 'open' && (
              <Button
                size="lg"
                className={classes.wrap}
                loading={busy}
                disabled={task.slotsLeft === 0}
                onClick={() => void act(() => claimTask(task.id))}
              >
                {task.slotsLeft === 0 ? t('tasks.claimErrors.task_full') : t('tasks.detail.claim')}
              </Button>
            )}
            {error && (
              <Text role="alert" c="red.9">
                {t(`tasks.claimErrors.${error}`)}
              </Text>
            )}
          </Stack>
        </section>
      </Stack>
    </Container>
  );
}
