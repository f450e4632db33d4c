import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EarningSettingsForm } from './earning/EarningSettingsForm';
import { OidcSettingsForm } from './OidcSettingsForm';
import { StaffGate } from './StaffGate';

/** `/staff/settings`: the municipality's settings for its admins: single sign-on and earning. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.settings')} permission="municipality.settings">
      {(municipality) => (
        <Stack gap="xl">
          <OidcSettingsForm slug={municipality.slug} />
          <EarningSettingsForm slug={municipality.slug} />
        </Stack>
      )}
    </StaffGate>
  );
}
