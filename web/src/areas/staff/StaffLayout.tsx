import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { ApiError } from '../../api/client';
import { useMunicipalities } from '../../api/endpoints';
import type { Municipality, MyUser } from '../../api/types';
import { useUserSession } from '../../api/userSession';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { pagesFor, type RoleName } from './access';
import classes from './staff.module.css';
import type { StaffContext } from './staffContext';

const CHOICE_KEY = 'civicpoints.staff.municipality';

function readChoice(): string | null {
  try {
    return sessionStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

/**
 * The staff area's frame: who is signed in, the municipality (fixed for staff, chosen by
 * operators), navigation to the pages their roles allow, and sign-out; or the way to sign in.
 */
export function StaffLayout() {
  const { t } = useTranslation();
  const session = useUserSession();
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('staffArea.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut') return <StaffSignedOut />;
  if (state.me.user.kind === 'partner') return <NotForPartners />;
  return <SignedInLayout me={state.me} />;
}

function StaffSignedOut() {
  const { t } = useTranslation();
  useDocumentTitle(t('areas.staff.name'));
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} maw="44rem" m="lg" mx="auto">
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t('areas.staff.name')}</Title>
        <Text size="lg">{t('staffArea.signedOut')}</Text>
        <Button component={Link} to="/work/sign-in" size="lg" className={classes.touch}>
          {t('nav.signIn')}
        </Button>
      </Stack>
    </Paper>
  );
}

function NotForPartners() {
  const { t } = useTranslation();
  useDocumentTitle(t('areas.staff.name'));
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} maw="44rem" m="lg" mx="auto">
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t('areas.staff.name')}</Title>
        <Text size="lg">{t('staffArea.forStaffOnly')}</Text>
        <Button component={Link} to="/partner" size="lg" className={classes.touch}>
          {t('workSignIn.goToPartner')}
        </Button>
      </Stack>
    </Paper>
  );
}

function SignedInLayout({ me }: { me: MyUser }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const session = useUserSession();
  const municipalities = useMunicipalities();
  const [choice, setChoice] = useState(readChoice);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutFailed, setSignOutFailed] = useState(false);
  const { user } = me;
  const operator = user.kind === 'operator';

  const sorted: Municipality[] =
    municipalities.status === 'ready'
      ? [...municipalities.data.items].sort((a, b) =>
          a.names[locale].localeCompare(b.names[locale], intlLocale(locale)),
        )
      : [];
  const wanted = operator ? choice : me.municipalitySlug;
  const municipality =
    sorted.find((m) => m.slug === wanted) ?? (operator ? sorted[0] : undefined) ?? null;

  const choose = (slug: string) => {
    setChoice(slug);
    try {
      sessionStorage.setItem(CHOICE_KEY, slug);
    } catch {
      // Without storage the choice lasts for this page.
    }
  };

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

  if (municipalities.status === 'loading') return <LoadingState label={t('staffArea.loading')} />;
  if (municipalities.status === 'error') {
    return <ErrorState error={municipalities.error} onRetry={municipalities.retry} />;
  }
  const context: StaffContext = { me, municipality };

  return (
    <div className={classes.shell} data-testid="staff-area">
      <aside className={classes.sidebar}>
        <Stack gap="sm">
          <div>
            <Text fw={700} className={classes.wrap}>
              {user.displayName}
            </Text>
            <Text size="sm" c="dimmed" className={classes.wrap}>
              {user.email}
            </Text>
            <Group gap={4} mt={4}>
              {operator ? (
                <Badge variant="light" radius="sm">
                  {t('staffArea.operator')}
                </Badge>
              ) : (
                user.roles.map((role) => (
                  <Badge key={role} variant="light" radius="sm">
                    {t(`staffArea.roles.${role as RoleName}`)}
                  </Badge>
                ))
              )}
            </Group>
          </div>
          {operator ? (
            <NativeSelect
              label={t('staffArea.municipality')}
              value={municipality?.slug ?? ''}
              onChange={(event) => choose(event.currentTarget.value)}
              data={sorted.map((m) => ({ value: m.slug, label: m.names[locale] }))}
              data-testid="municipality-choice"
            />
          ) : (
            municipality && (
              <Text size="sm">
                {t('staffArea.municipality')}: <strong>{municipality.names[locale]}</strong>
              </Text>
            )
          )}
          <nav aria-label={t('staffArea.navLabel')}>
            <ul className={classes.nav}>
              {pagesFor(user).map((page) => (
                <li key={page.key}>
                  <NavLink to={page.path} end className={classes.navLink}>
                    {t(`staffArea.nav.${page.key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <Button
            variant="default"
            onClick={() => void signOut()}
            loading={signingOut}
            className={classes.touch}
          >
            {t('resident.signOut')}
          </Button>
          {signOutFailed && (
            <Text role="alert" size="sm" c="red.9">
              {t('resident.signOutFailed')}
            </Text>
          )}
        </Stack>
      </aside>
      <div className={classes.content}>
        <Outlet context={context} />
      </div>
    </div>
  );
}
