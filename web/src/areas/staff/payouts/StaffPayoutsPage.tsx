import { Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../../api/types';
import { can } from '../access';
import { StaffGate } from '../StaffGate';
import { municipalityPath, useStaff } from '../staffContext';
import { useFreshResource } from '../useList';
import { PayoutQueue } from './PayoutQueue';
import { PayoutSettingsForm } from './PayoutSettingsForm';
import { ReconciliationSection } from './ReconciliationSection';
import type { StaffPayoutSettings } from './staffPayoutTypes';
import { TreasurySection } from './TreasurySection';

/**
 * `/staff/payouts`: the treasury's balance, the payouts waiting for a finance officer, the
 * parked ones with their reason, every payout, the reconciliation report and the settings.
 */
export function StaffPayoutsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.payouts')} permission="payouts.read">
      {(municipality) => <Payouts municipality={municipality} />}
    </StaffGate>
  );
}

function Payouts({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { me } = useStaff();
  const canApprove = can(me.user, 'payouts.approve');
  const canSet = can(me.user, 'payouts.settings');
  // Token symbol and decimals for the amounts: from the settings when this user may read them.
  const settings = useFreshResource<StaffPayoutSettings | null>(
    canSet ? `${municipalityPath(municipality)}/payouts/settings` : null,
  );
  const known = settings.status === 'ready' ? settings.data : null;
  const symbol = known?.tokenSymbol ?? '';
  const decimals = known?.tokenDecimals ?? 18;
  // Bumped after every action, so that all lists load again (an approval leaves the queue).
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((n) => n + 1);
  const queue = (status: 'awaiting_approval' | 'parked' | null) => (
    <PayoutQueue
      municipality={municipality}
      status={status}
      canAct={canApprove}
      symbol={symbol}
      decimals={decimals}
      onChanged={changed}
      version={version}
    />
  );
  return (
    <Stack gap="xl" data-testid="staff-payouts">
      <Text size="lg">{t('staffPayouts.intro')}</Text>
      <TreasurySection municipality={municipality} />
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="approvals-title">
        <Title order={2} size="h3" id="approvals-title" mb="xs">
          {t('staffPayouts.approvals.title')}
        </Title>
        <Text mb="sm">
          {canApprove ? t('staffPayouts.approvals.intro') : t('staffPayouts.readOnly')}
        </Text>
        {queue('awaiting_approval')}
      </Paper>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="parked-title">
        <Title order={2} size="h3" id="parked-title" mb="xs">
          {t('staffPayouts.parked.title')}
        </Title>
        <Text mb="sm">{t('staffPayouts.parked.intro')}</Text>
        {queue('parked')}
      </Paper>
      <ReconciliationSection municipality={municipality} canRun={canApprove} />
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="all-title">
        <Title order={2} size="h3" id="all-title" mb="sm">
          {t('staffPayouts.all.title')}
        </Title>
        {queue(null)}
      </Paper>
      {canSet && <PayoutSettingsForm municipality={municipality} />}
    </Stack>
  );
}
