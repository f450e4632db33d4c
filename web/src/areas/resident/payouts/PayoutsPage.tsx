import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import earn from '../earn/earn.module.css';
import { FailureAlert } from '../FailureAlert';
import { SignedInOnly } from '../SignedInOnly';
import { PayoutAddressSection } from './PayoutAddressSection';
import { PayoutList } from './PayoutList';
import { PayoutRequestForm } from './PayoutRequestForm';
import { PayoutSummary } from './PayoutSummary';
import { payoutProblemKey } from './payoutProblems';
import classes from './payouts.module.css';
import { useMyPayoutSettings, useMyPayouts } from './payoutsApi';
import { type EnabledPayoutSettings, isEnabled } from './payoutTypes';

/**
 * `/resident/payouts`: turn points into the municipality's token. The rules and what is left
 * this year, the address payouts go to (and proving it is yours), "Pay me out", and the payouts
 * so far with their status and a link to the transaction.
 */
export function PayoutsPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('payouts.loading')}>{() => <SignedInPayouts />}</SignedInOnly>
  );
}

function SignedInPayouts() {
  const { t } = useTranslation();
  useDocumentTitle(t('payouts.title'));
  const settings = useMyPayoutSettings();
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="payouts-page">
      <Anchor component={Link} to="/resident" className={earn.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('payouts.title')}</Title>
        <Text size="lg" mt="xs" className={earn.description}>
          {t('payouts.intro')}
        </Text>
      </div>
      {settings.status === 'loading' && <LoadingState label={t('payouts.loading')} />}
      {settings.status === 'error' &&
        (payoutProblemKey(settings.error) === 'payouts_disabled' ? (
          <Disabled />
        ) : (
          <ErrorState error={settings.error} onRetry={settings.reload} />
        ))}
      {settings.status === 'ready' &&
        (isEnabled(settings.data) ? (
          <Enabled settings={settings.data} reload={settings.reload} />
        ) : (
          <Disabled />
        ))}
    </Stack>
  );
}

function Disabled() {
  const { t } = useTranslation();
  return (
    <FailureAlert title={t('payouts.disabledTitle')} color="notice" testId="payouts-disabled">
      {t('payouts.errors.payouts_disabled')}
    </FailureAlert>
  );
}

function Enabled({ settings, reload }: { settings: EnabledPayoutSettings; reload: () => void }) {
  const { t } = useTranslation();
  const payouts = useMyPayouts();
  // While a payout is on its way, its status is asked again every 15 seconds.
  const moving =
    payouts.status === 'ready' &&
    payouts.data.items.some((p) => p.status === 'queued' || p.status === 'submitted');
  const reloadPayouts = payouts.reload;
  useEffect(() => {
    if (!moving) return;
    const timer = window.setInterval(reloadPayouts, 15_000);
    return () => window.clearInterval(timer);
  }, [moving, reloadPayouts]);
  return (
    <>
      <PayoutSummary settings={settings} />
      <PayoutAddressSection active={settings.address} onSaved={reload} />
      <PayoutRequestForm
        settings={settings}
        onRequested={() => {
          payouts.reload();
          reload();
        }}
      />
      {payouts.status === 'loading' && <LoadingState label={t('payouts.list.loading')} />}
      {payouts.status === 'error' && <ErrorState error={payouts.error} onRetry={payouts.reload} />}
      {payouts.status === 'ready' && (
        <PayoutList
          payouts={payouts.data.items}
          symbol={settings.tokenSymbol}
          decimals={settings.tokenDecimals}
        />
      )}
    </>
  );
}
