import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Me } from '../../../api/types';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatDate } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { SignedInOnly } from '../SignedInOnly';
import { activityName, howToEarn, pointsText, rulesText, upcomingText } from './activityTexts';
import classes from './earn.module.css';
import { useMyClaims } from './earnApi';
import { earnWay, windowState } from './earnRules';
import { type Activity, CATEGORIES, type Claim } from './earnTypes';
import { WithActivities } from './WithActivities';

/** `/resident/earn`: every way to earn points here, by theme, each with how, its rules and "Claim". */
export function EarnPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('earn.loading')}>{(me) => <SignedInEarn me={me} />}</SignedInOnly>
  );
}

function SignedInEarn({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('earn.title'));
  const claims = useMyClaims();
  return (
    <Stack gap="lg" className={classes.page} data-testid="earn-page">
      <Anchor component={Link} to="/resident" className={classes.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('earn.title')}</Title>
        <Text size="lg" mt="xs" className={classes.description}>
          {t('earn.intro')}
        </Text>
      </div>
      <Button
        component={Link}
        to="/resident/claims"
        variant="light"
        size="md"
        className={classes.wrap}
        classNames={{ label: classes.wrapLabel }}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('myClaims.link')}
      </Button>
      <WithActivities municipalityId={me.municipalityId} loadingLabel={t('earn.loading')}>
        {(activities) => (
          <Catalogue
            activities={activities}
            claims={claims.status === 'ready' ? claims.data.items : []}
            me={me}
          />
        )}
      </WithActivities>
    </Stack>
  );
}

function Catalogue({
  activities,
  claims,
  me,
}: {
  activities: Activity[];
  claims: Claim[];
  me: Me;
}) {
  const { t } = useTranslation();
  if (activities.length === 0) return <Text size="lg">{t('earn.empty')}</Text>;
  const groups = CATEGORIES.map((category) => ({
    category,
    items: activities.filter((activity) => activity.current.category === category),
  })).filter((group) => group.items.length > 0);
  return (
    <Stack gap="xl">
      {groups.map(({ category, items }) => (
        <section key={category} aria-labelledby={`category-${category}`}>
          <Title order={2} id={`category-${category}`} mb="md">
            {t(`earn.category.${category}`)}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
            {items.map((activity) => (
              <ActivityCard
                key={activity.id}
                activity={activity}
                waiting={claims.some(
                  (claim) => claim.activityId === activity.id && claim.status === 'submitted',
                )}
                memberCode={me.memberCode}
              />
            ))}
          </SimpleGrid>
        </section>
      ))}
    </Stack>
  );
}

function ActivityCard({
  activity,
  waiting,
  memberCode,
}: {
  activity: Activity;
  waiting: boolean;
  memberCode: string;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const now = new Date();
  const terms = activity.current;
  const name = activityName(terms, locale);
  const way = earnWay(terms);
  const state = windowState(terms, now);
  const rules = rulesText(t, terms, locale, now);
  const upcoming = upcomingText(t, activity, locale);
  const description = terms.descriptions[locale]?.trim();
  const nameId = `activity-${activity.code}-name`;
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      component="article"
      aria-labelledby={nameId}
      className={classes.card}
      data-testid={`activity-${activity.code}`}
    >
      <div>
        <Title order={3} id={nameId}>
          {name}
        </Title>
        <p className={classes.points} data-testid="activity-points">
          {pointsText(t, terms.points, locale)}
        </p>
      </div>
      {description && <Text className={classes.description}>{description}</Text>}
      <div>
        <Title order={4} className={classes.smallTitle}>
          {t('earn.how.title')}
        </Title>
        <ul className={classes.list} data-testid="activity-how">
          {howToEarn(t, terms).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      {rules.length > 0 && (
        <div>
          <Title order={4} className={classes.smallTitle}>
            {t('earn.limits.title')}
          </Title>
          <ul className={classes.list} data-testid="activity-rules">
            {rules.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {upcoming && (
        <Text className={classes.upcoming} data-testid="activity-upcoming">
          {upcoming}
        </Text>
      )}
      {waiting && (
        <Text className={classes.done} data-testid="activity-waiting">
          {t('earn.waiting')}
        </Text>
      )}
      <div className={classes.cardAction}>
        {way.kind === 'claim' && state === 'open' && (
          <Button
            component={Link}
            to={`/resident/earn/${encodeURIComponent(activity.id)}`}
            size="lg"
            fullWidth
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            aria-label={t('earn.claimNamed', { name })}
          >
            {t('earn.claim')}
          </Button>
        )}
        {way.kind === 'claim' && state === 'notYet' && terms.validFrom && (
          <Text fw={600}>{t('earn.notYet', { date: formatDate(terms.validFrom, locale) })}</Text>
        )}
        {way.kind === 'claim' && state === 'over' && <Text fw={600}>{t('earn.over')}</Text>}
        {way.kind === 'partner' && <PartnerHint memberCode={memberCode} />}
      </div>
    </Paper>
  );
}

/** For activities a partner confirms: the member code to show, and the card to show it on. */
function PartnerHint({ memberCode }: { memberCode: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        <Text>{t('earn.partnerOnly.memberCode')}</Text>
        <Text className={classes.memberCode}>{memberCode}</Text>
      </Group>
      <Button
        component={Link}
        to="/resident/profile"
        variant="light"
        size="md"
        fullWidth
        className={classes.wrap}
        classNames={{ label: classes.wrapLabel }}
      >
        {t('earn.partnerOnly.card')}
      </Button>
    </Stack>
  );
}
