import { Badge, Button, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useMatch, useOutletContext } from 'react-router';
import { ApiError } from '../../../api/client';
import type { MyUser } from '../../../api/types';
import { useApiResource } from '../../../api/useApiResource';
import { useUserSession } from '../../../api/userSession';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import type { RoleName } from '../../staff/access';
import type { Partner, PartnerLocation } from '../partnersApi';
import { Refusal } from '../WorkAccess';
import classes from './portal.module.css';
import { partnerPagesFor } from './portalApi';

export interface PartnerContext {
  me: MyUser;
  partner: Partner & { locations: PartnerLocation[] };
}

/** The signed-in partner user and their organisation, for the portal's pages. */
export function usePartner(): PartnerContext {
  return useOutletContext<PartnerContext>();
}

/**
 * The partner portal's frame: the organisation and who is signed in, the short list of jobs
 * their roles allow (confirm hours, show the site code, API keys), and sign-out; or the way to
 * sign in. The kiosk page is outside it (the code fills the screen).
 */
export function PartnerLayout() {
  const { t } = useTranslation();
  const session = useUserSession();
  const atHome = useMatch({ path: '/partner', end: true }) !== null;
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('partnerPortal.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut') return atHome ? <PortalLanding /> : <SignInFirst />;
  if (state.me.user.kind !== 'partner') {
    return (
      <Container size="lg" py="xl">
        <Refusal audience="partner" reason="notAllowed" />
      </Container>
    );
  }
  return <SignedInPortal me={state.me} />;
}

/** `/partner` for a visitor who is not signed in: what the portal is for, and the way in. */
function PortalLanding() {
  const { t } = useTranslation();
  useDocumentTitle(t('areas.partner.name'));
  return (
    <Container size="lg" py="xl">
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} maw="44rem" bg="gray.0">
        <Stack gap="md" align="flex-start">
          <Title order={1}>{t('areas.partner.name')}</Title>
          <Text size="lg">{t('areas.partner.landing')}</Text>
          <Button component={Link} to="/work/sign-in" size="lg" className={classes.touch}>
            {t('nav.signIn')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}

/** Asks whoever is not signed in as a partner user to sign in (the page's heading). */
export function SignInFirst() {
  const { t } = useTranslation();
  return (
    <Container size="lg" py="xl">
      <Stack gap="md" align="flex-start">
        <Refusal audience="partner" reason="signIn" />
        <Button component={Link} to="/work/sign-in" size="lg" className={classes.touch}>
          {t('nav.signIn')}
        </Button>
      </Stack>
    </Container>
  );
}

function SignedInPortal({ me }: { me: MyUser }) {
  const { t } = useTranslation();
  const session = useUserSession();
  const partner = useApiResource<PartnerContext['partner']>('/api/partner', { cache: false });
  const [signingOut, setSigningOut] = useState(false);
  const [signOutFailed, setSignOutFailed] = useState(false);
  const { user } = me;

  const signOut = async () => {
    setSigningOut(true);
    setSignOutFailed(false);
    try {
      await session.signOut();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setSignOutFailed(true);
      setSigningOut(false);
    }
  };

  return (
    <div className={classes.portal} data-testid="partner-portal">
      <header className={classes.bar}>
        <Container size="lg" py="sm">
          <Group justify="space-between" align="center" gap="sm" wrap="wrap">
            <div className={classes.who}>
              <Text fw={700} size="lg" className={classes.wrap}>
                {partner.status === 'ready' ? partner.data.name : t('areas.partner.name')}
              </Text>
              <Group gap={6} wrap="wrap">
                <Text size="sm" c="dimmed" className={classes.wrap}>
                  {user.displayName}
                </Text>
                {user.roles.map((role) => (
                  <Badge key={role} variant="light" radius="sm" className={classes.badge}>
                    {t(`staffArea.roles.${role as RoleName}`)}
                  </Badge>
                ))}
              </Group>
            </div>
            <Button
              variant="default"
              onClick={() => void signOut()}
              loading={signingOut}
              className={classes.touch}
            >
              {t('resident.signOut')}
            </Button>
          </Group>
          {signOutFailed && (
            <Text role="alert" size="sm" c="red.9" mt="xs">
              {t('resident.signOutFailed')}
            </Text>
          )}
          <nav aria-label={t('partnerPortal.navLabel')} className={classes.navWrap}>
            <ul className={classes.nav}>
              {partnerPagesFor(user.roles).map((page) => (
                <li key={page.key}>
                  <NavLink to={page.path} end={page.key === 'home'} className={classes.navLink}>
                    {t(`partnerPortal.nav.${page.key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </Container>
      </header>
      <Container size="lg" py="xl">
        {partner.status === 'loading' && <LoadingState label={t('partnerPortal.loading')} />}
        {partner.status === 'error' && (
          <ErrorState error={partner.error} onRetry={partner.retry} headingLevel={1} />
        )}
        {partner.status === 'ready' && (
          <Outlet context={{ me, partner: partner.data } satisfies PartnerContext} />
        )}
      </Container>
    </div>
  );
}
