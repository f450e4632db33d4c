import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Me } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatCount, formatDate, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { SignedInOnly } from '../SignedInOnly';
import { activityName } from './activityTexts';
import { ClaimActions } from './ClaimActions';
import classes from './earn.module.css';
import { useMyClaims, useRejectReasons } from './earnApi';
import type { Activity, Claim, RejectReasonTexts } from './earnTypes';
import { WithActivities } from './WithActivities';

/** `/resident/claims`: the resident's claims, newest first, with what was decided and why. */
export function MyClaimsPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('myClaims.loading')}>
      {(me) => <SignedInClaims me={me} />}
    </SignedInOnly>
  );
}

function SignedInClaims({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('myClaims.title'));
  const claims = useMyClaims();
  const reasons = useRejectReasons();
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="my-claims-page">
      <Anchor component={Link} to="/resident" className={classes.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('myClaims.title')}</Title>
        <Text size="lg" mt="xs" className={classes.description}>
          {t('myClaims.intro')}
        </Text>
      </div>
      <Button
        component={Link}
        to="/resident/earn"
        variant="light"
        size="md"
        className={classes.wrap}
        classNames={{ label: classes.wrapLabel }}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('earn.allWays')}
      </Button>
      {claims.status === 'loading' && <LoadingState label={t('myClaims.loading')} />}
      {claims.status === 'error' && <ErrorState error={claims.error} onRetry={claims.retry} />}
      {claims.status === 'ready' && (
        <WithActivities municipalityId={me.municipalityId} loadingLabel={t('myClaims.loading')}>
          {(activities) => (
            <ClaimList
              claims={claims.data.items}
              activities={activities}
              reasons={reasons.status === 'ready' ? reasons.data : null}
            />
          )}
        </WithActivities>
      )}
    </Stack>
  );
}

function ClaimList({
  claims,
  activities,
  reasons,
}: {
  claims: Claim[];
  activities: Activity[];
  reasons: RejectReasonTexts | null;
}) {
  const { t } = useTranslation();
  // A withdrawal or an appeal answers with the claim as it is now; it replaces the listed one.
  const [changed, setChanged] = useState<Record<string, Claim>>({});
  if (claims.length === 0) {
    return (
      <Paper withBorder radius="lg" p="lg" data-testid="my-claims-empty">
        <Text size="lg">{t('myClaims.empty')}</Text>
      </Paper>
    );
  }
  return (
    <ul className={classes.claimList} data-testid="my-claims">
      {claims.map((listed) => {
        const claim = changed[listed.id] ?? listed;
        return (
          <ClaimItem
            key={claim.id}
            claim={claim}
            activity={activities.find((a) => a.id === claim.activityId)}
            reasons={reasons}
            onChange={(next) => setChanged((current) => ({ ...current, [next.id]: next }))}
          />
        );
      })}
    </ul>
  );
}

function ClaimItem({
  claim,
  activity,
  reasons,
  onChange,
}: {
  claim: Claim;
  activity: Activity | undefined;
  reasons: RejectReasonTexts | null;
  onChange: (claim: Claim) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const name = activity ? activityName(activity.current, locale) : t('myClaims.activityGone');
  const points = claim.status === 'approved' ? claim.points : claim.requestedPoints;
  const reason =
    claim.rejectReason &&
    reasons?.items.find((item) => item.code === claim.rejectReason)?.texts[locale];
  const titleId = `claim-${claim.id}-title`;
  const decided = claim.status !== 'submitted';
  return (
    <Paper
      component="li"
      withBorder
      radius="lg"
      p="md"
      aria-labelledby={titleId}
      data-testid="my-claim"
      data-status={claim.status}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={titleId}>
            {name}
          </Title>
          <span className={classes.status} data-status={claim.status} data-testid="claim-status">
            {t(`myClaims.status.${claim.status}`)}
          </span>
        </Group>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text className={classes.muted}>
            {t('myClaims.sent', { date: formatDate(claim.submittedAt, locale) })}
          </Text>
          <Text
            className={`${classes.claimPoints} ${decided && claim.status !== 'approved' ? classes.muted : ''}`}
            data-testid="claim-points"
          >
            {t(
              `myClaims.points.${claim.status === 'approved' ? 'got' : 'asked'}.${pluralForm(points, locale)}`,
              { points: formatCount(points, locale) },
            )}
          </Text>
        </Group>
        {claim.status === 'submitted' && (
          <Text>
            {claim.appealedAt
              ? t('myClaims.appealed', { date: formatDate(claim.appealedAt, locale) })
              : t('myClaims.waitingText')}
          </Text>
        )}
        {claim.status === 'approved' && claim.points < claim.requestedPoints && (
          <Text>{t('myClaims.capped')}</Text>
        )}
        {claim.status === 'rejected' && (
          <Text data-testid="claim-reason">
            {t('myClaims.reason', { reason: reason || t('myClaims.noReason') })}
          </Text>
        )}
        {claim.decisionNote && claim.status !== 'withdrawn' && (
          <Text>{t('myClaims.reviewerNote', { note: claim.decisionNote })}</Text>
        )}
        {claim.note && (
          <Text className={classes.muted}>{t('myClaims.yourNote', { note: claim.note })}</Text>
        )}
        <ClaimActions claim={claim} onChange={onChange} />
      </Stack>
    </Paper>
  );
}
