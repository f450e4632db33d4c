import { Button, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CoinIcon, InfoIcon } from '../../../components/icons';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { activityName } from './activityTexts';
import classes from './earn.module.css';
import type { Activity, Claim } from './earnTypes';

/** A stored claim and, when it was approved at once, the resident's new balance. */
export interface Sent {
  claim: Claim;
  balance: number | null;
}

/** What became of the claim: points at once, or a wait for a reviewer; and where to go next. */
export function ClaimResult({ sent, activity }: { sent: Sent; activity: Activity }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { claim, balance } = sent;
  const approved = claim.status === 'approved';
  return (
    <Stack gap="lg" align="flex-start" data-testid={approved ? 'claim-approved' : 'claim-waiting'}>
      <span className={classes.resultIcon}>
        {approved ? <CoinIcon size={32} /> : <InfoIcon size={32} />}
      </span>
      <Title
        order={1}
        ref={heading}
        tabIndex={-1}
        className={approved ? classes.resultPoints : undefined}
      >
        {approved
          ? t(`earn.result.approved.${pluralForm(claim.points, locale)}`, {
              points: formatCount(claim.points, locale),
            })
          : t('earn.result.waiting.title')}
      </Title>
      <Text size="lg" fw={600}>
        {activityName(activity.current, locale)}
      </Text>
      {approved && balance !== null && (
        <Text size="lg" data-testid="claim-balance">
          {t(`earn.result.balance.${pluralForm(balance, locale)}`, {
            points: formatCount(balance, locale),
          })}
        </Text>
      )}
      {!approved && <Text size="lg">{t('earn.result.waiting.text')}</Text>}
      <Stack gap="sm" w="100%">
        <Button
          component={Link}
          to="/resident/earn"
          size="lg"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
        >
          {t('earn.result.more')}
        </Button>
        <Button
          component={Link}
          to="/resident/claims"
          variant="light"
          size="lg"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
        >
          {t('myClaims.link')}
        </Button>
        <Button
          component={Link}
          to="/resident"
          variant="subtle"
          size="md"
          fullWidth
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
        >
          {t('earn.back')}
        </Button>
      </Stack>
    </Stack>
  );
}
