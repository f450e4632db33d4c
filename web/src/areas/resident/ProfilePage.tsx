import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { InfoIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { AreaLanding } from '../AreaLanding';
import { PasskeysSection } from './PasskeysSection';
import { DataSection } from './profile/DataSection';
import { HouseholdSection } from './profile/HouseholdSection';
import { LanguageSection } from './profile/LanguageSection';
import { MemberCardSection } from './profile/MemberCardSection';
import { ResidentSignInCall } from './ResidentSignInCall';

/** `/resident/profile`: the signed-in resident's member card, language, household, passkeys and data. */
export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const deleted = (location.state as { accountDeleted?: boolean } | null)?.accountDeleted;
  useDocumentTitle(t('profile.title'));
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('profile.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut' || state.status === 'worker') {
    if (deleted) {
      return (
        <Stack gap="lg" maw={640}>
          <Title order={1}>{t('profile.deleted.title')}</Title>
          <Alert color="civic" variant="light" icon={<InfoIcon />} data-testid="account-deleted">
            <Text>{t('profile.deleted.text')}</Text>
          </Alert>
          <Anchor component={Link} to="/">
            {t('profile.deleted.home')}
          </Anchor>
        </Stack>
      );
    }
    return (
      <AreaLanding area="resident" comingSoon={false}>
        <ResidentSignInCall />
      </AreaLanding>
    );
  }
  const { me } = state;
  return (
    <Stack gap="lg" maw={720} data-testid="profile">
      <Anchor component={Link} to="/resident">
        {t('profile.back')}
      </Anchor>
      <Title order={1}>{t('profile.title')}</Title>
      <MemberCardSection memberCode={me.memberCode} />
      <LanguageSection me={me} />
      <HouseholdSection />
      <PasskeysSection />
      <DataSection />
    </Stack>
  );
}
