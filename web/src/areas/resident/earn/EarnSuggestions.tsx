import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLocale } from '../../../i18n/useLocale';
import { activityName, pointsText } from './activityTexts';
import classes from './earn.module.css';
import { useMyClaims } from './earnApi';
import { suggestions } from './earnRules';
import type { Activity, Claim } from './earnTypes';
import { WithActivities } from './WithActivities';

/** On the resident home: "what next?" — one or two activities to claim now, and all the ways. */
export function EarnSuggestions({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const claims = useMyClaims();
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      component="section"
      aria-labelledby="next-title"
      data-testid="earn-suggestions"
    >
      <Title order={2} size="h4" id="next-title" mb="xs">
        {t('resident.nextTitle')}
      </Title>
      {claims.status !== 'loading' && (
        <WithActivities municipalityId={municipalityId} loadingLabel={t('earn.loading')}>
          {(activities) => (
            <Suggested
              activities={activities}
              claims={claims.status === 'ready' ? claims.data.items : []}
            />
          )}
        </WithActivities>
      )}
      <Stack gap="xs" mt="md">
        <Button
          component={Link}
          to="/resident/earn"
          variant="light"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="earn-link"
        >
          {t('earn.allWays')}
        </Button>
        <Button
          component={Link}
          to="/resident/claims"
          variant="subtle"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="my-claims-link"
        >
          {t('myClaims.link')}
        </Button>
        {/* Public tasks and problem reports (issue 7): earn points nearby, or tell the municipality. */}
        <Button
          component={Link}
          to="/tasks"
          variant="light"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="tasks-link"
        >
          {t('tasks.list.title')}
        </Button>
        <Button
          component={Link}
          to="/report"
          variant="light"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="report-link"
        >
          {t('reports.form.title')}
        </Button>
        <Button
          component={Link}
          to="/resident/tasks"
          variant="subtle"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="my-tasks-link"
        >
          {t('tasks.mine.title')}
        </Button>
        <Button
          component={Link}
          to="/resident/reports"
          variant="subtle"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="my-reports-link"
        >
          {t('reports.mine.title')}
        </Button>
      </Stack>
    </Paper>
  );
}

function Suggested({ activities, claims }: { activities: Activity[]; claims: Claim[] }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const picked = suggestions(activities, claims, new Date());
  if (picked.length === 0) return <Text>{t('earn.home.none')}</Text>;
  return (
    <Stack gap="sm">
      <Text>{t('earn.home.lead')}</Text>
      {picked.map((activity) => {
        const name = activityName(activity.current, locale);
        return (
          <div key={activity.id} className={classes.suggestion} data-testid="suggestion">
            <Text fw={700}>{name}</Text>
            <Text className={classes.points} size="lg">
              {pointsText(t, activity.current.points, locale)}
            </Text>
            <Button
              component={Link}
              to={`/resident/earn/${encodeURIComponent(activity.id)}`}
              size="md"
              mt="xs"
              fullWidth
              className={classes.wrap}
              classNames={{ label: classes.wrapLabel }}
              aria-label={t('earn.claimNamed', { name })}
            >
              {t('earn.claim')}
            </Button>
          </div>
        );
      })}
    </Stack>
  );
}
