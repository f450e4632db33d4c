import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EarningSettingsForm } from './earning/EarningSettingsForm';
import { OidcSettingsForm } from './OidcSettingsForm';
import { StaffGate } from './StaffGate';
import { SpendingSettingsForm } from './spending/SpendingSettingsForm';
import { VoucherKeysSection } from './spending/VoucherKeysSection';

/** `/staff/settings`: the municipality's settings for its admins: single sign-on, earning,
 * spending (the liability budget, offline tills) and the keys that sign vouchers. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.settings')} permission="municipality.settings">
      {(municipality) => (
        <Stack gap="xl">
          <OidcSettingsForm slug={municipality.slug} />
          <EarningSettingsForm slug={municipality.slug} />
          <SpendingSettingsForm slug={municipality.slug} />
          <VoucherKeysSection slug={municipality.slug} />
        </Stack>
      )}
    </StaffGate>
  );
}
