import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import classes from '../../map/map.module.css';
import { SignedInOnly } from '../resident/SignedInOnly';
import { formatDateTime } from '../staff/format';
import { useMyTasks } from './tasksApi';

/** "My tasks" (`/resident/tasks`): the places I claimed, newest first, and how each went. */
export function MyTasksPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('tasks.mine.title'));
  return <SignedInOnly loadingLabel={t('tasks.mine.loading')}>{() => <MyTasks />}</SignedInOnly>;
}

function MyTasks() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const mine = useMyTasks();
  return (
    <Stack gap="lg">
      <Title order={1}>{t('tasks.mine.title')}</Title>
      {mine.status === 'loading' && <LoadingState label={t('tasks.mine.loading')} />}
      {mine.status === 'error' && <ErrorState error={mine.error} onRetry={mine.retry} />}
      {mine.status === 'ready' && mine.data.items.length === 0 && (
        <Text>
          {t('tasks.mine.none')}{' '}
          <Anchor component={Link} to="/tasks">
            {t('tasks.list.title')}
          </Anchor>
        </Text>
      )}
      {mine.status === 'ready' && (
        <ul className={classes.list} data-testid="my-tasks">
          {mine.data.items.map((claim) => (
            <li key={claim.id} className={classes.item}>
              <Stack gap={4}>
                <Group justify="space-between" gap="sm">
                  <Text fw={700} component="h2" size="md">
                    <Anchor component={Link} to={`/tasks/${claim.taskId}`}>
                      {claim.task.title[locale]}
                    </Anchor>
                  </Text>
                  <Badge variant="light">
                    {t(`tasks.claimStatus.${claim.outcome ?? claim.status}`)}
                  </Badge>
                </Group>
                <Text size="sm">
                  {t('tasks.points', { points: formatCount(claim.task.bountyPoints, locale) })}
                  {' · '}
                  {claim.status === 'claimed'
                    ? t('tasks.detail.held', { until: formatDateTime(claim.expiresAt, locale) })
                    : formatDateTime(claim.updatedAt, locale)}
                </Text>
                {claim.decisionNote && <Text size="sm">{claim.decisionNote}</Text>}
              </Stack>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
