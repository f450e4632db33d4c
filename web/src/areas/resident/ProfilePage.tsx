import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../api/session';
import type { Me } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { AreaLanding } from '../AreaLanding';
import { PasskeysSection } from './PasskeysSection';
import { ResidentSignInCall } from './ResidentSignInCall';
import classes from './resident.module.css';

/**
 * `/resident/profile`: the signed-in resident's settings, one section under the other (passkeys
 * now; language, household, member card, data download and deleting the account join later).
 */
export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('profile.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut') {
    return (
      <AreaLanding area="resident" comingSoon={false}>
        <ResidentSignInCall />
      </AreaLanding>
    );
  }
  return <Profile me={state.me} />;
}

function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('profile.title'));
  return (
    <Stack gap="lg" className={classes.profile} data-testid="profile">
      <Anchor component={Link} to="/resident" fw={600} underline="always" className={classes.back}>
        {t('profile.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('profile.title')}</Title>
        <Text mt="xs" className={classes.email}>
          {t('resident.signedInAs', { email: me.email })}
        </Text>
      </div>
      <PasskeysSection />
    </Stack>
  );
}
