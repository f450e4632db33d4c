import { Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Me } from '../../../api/types';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { useLocale } from '../../../i18n/useLocale';
import { FailureAlert } from '../FailureAlert';
import { SignedInOnly } from '../SignedInOnly';
import { activityName, howToEarn, pointsText } from './activityTexts';
import { ClaimForm } from './ClaimForm';
import { ClaimResult, type Sent } from './ClaimResult';
import classes from './earn.module.css';
import { earnWay, windowState } from './earnRules';
import type { Activity } from './earnTypes';
import { WithActivities } from './WithActivities';

/** `/resident/earn/:activityId`: the claim form of one activity, then what became of the claim. */
export function ClaimPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('earn.form.loading')}>
      {(me) => <SignedInClaim me={me} />}
    </SignedInOnly>
  );
}

function SignedInClaim({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { activityId = '' } = useParams();
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="claim-page">
      <Anchor component={Link} to="/resident/earn" className={classes.back}>
        {t('earn.form.back')}
      </Anchor>
      <WithActivities municipalityId={me.municipalityId} loadingLabel={t('earn.form.loading')}>
        {(activities) => {
          const activity = activities.find((a) => a.id === activityId);
          return activity ? (
            <ClaimScreen key={activity.id} activity={activity} />
          ) : (
            <NotClaimable
              title={t('earn.form.notFound.title')}
              text={t('earn.form.notFound.text')}
            />
          );
        }}
      </WithActivities>
    </Stack>
  );
}

function ClaimScreen({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [sent, setSent] = useState<Sent | null>(null);
  const terms = activity.current;
  const name = activityName(terms, locale);
  useDocumentTitle(sent ? t('earn.result.documentTitle') : name);
  if (sent) return <ClaimResult sent={sent} activity={activity} />;

  const way = earnWay(terms);
  const open = windowState(terms, new Date()) === 'open';
  const description = terms.descriptions[locale]?.trim();
  return (
    <>
      <div>
        <Title order={1}>{name}</Title>
        <p className={classes.points} data-testid="claim-points">
          {pointsText(t, terms.points, locale)}
        </p>
        {description && (
          <Text mt="xs" className={classes.description}>
            {description}
          </Text>
        )}
      </div>
      {way.kind !== 'claim' ? (
        <NotClaimable title={t('earn.form.cannotClaim')} text={howToEarn(t, terms).join(' ')} />
      ) : !open ? (
        <NotClaimable
          title={t('earn.refusal.activity_closed.title')}
          text={t('earn.refusal.activity_closed.text')}
        />
      ) : (
        <ClaimForm activity={activity} onSent={setSent} />
      )}
    </>
  );
}

function NotClaimable({ title, text }: { title: string; text: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <FailureAlert title={title} color="notice" testId="not-claimable">
        {text}
      </FailureAlert>
      <Button
        component={Link}
        to="/resident/earn"
        size="lg"
        className={classes.wrap}
        classNames={{ label: classes.wrapLabel }}
      >
        {t('earn.result.more')}
      </Button>
    </Stack>
  );
}
