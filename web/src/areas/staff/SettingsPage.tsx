import { useTranslation } from 'react-i18next';
import { OidcSettingsForm } from './OidcSettingsForm';
import { StaffGate } from './StaffGate';

/** `/staff/settings`: the municipality's settings for its admins; single sign-on for now. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.settings')} permission="municipality.settings">
      {(municipality) => <OidcSettingsForm slug={municipality.slug} />}
    </StaffGate>
  );
}
