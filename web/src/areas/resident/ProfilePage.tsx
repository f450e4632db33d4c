import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Me } from '../../api/types';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { PasskeysSection } from './PasskeysSection';
import classes from './resident.module.css';
import { SignedInOnly } from './SignedInOnly';

/**
 * `/resident/profile`: the signed-in resident's settings, one section under the other (passkeys
 * now; language, household, member card, data download and deleting the account join later).
 */
export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('profile.loading')}>{(me) => <Profile me={me} />}</SignedInOnly>
  );
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
