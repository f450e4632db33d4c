import { Alert, Anchor, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, setCsrfToken } from '../../api/client';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { MyUser } from './partnersApi';

type Audience = 'staff' | 'partner';

/**
 * Renders `children` with the signed-in staff member or partner user (GET /api/users/me); asks
 * whoever is not signed in as one to sign in, and tells a signed-in person of the wrong kind
 * that this page is not for their account.
 */
export function WorkAccess({
  audience,
  allowed,
  children,
}: {
  audience: Audience;
  allowed: (me: MyUser) => boolean;
  children: (me: MyUser) => ReactNode;
}) {
  const { t } = useTranslation();
  const me = useApiResource<MyUser>('/api/users/me', { cache: false });
  useEffect(() => {
    if (me.status === 'ready') setCsrfToken(me.data.csrfToken);
  }, [me]);
  if (me.status === 'loading') return <LoadingState label={t('partners.loading')} />;
  if (me.status === 'error') {
    if (me.error.status === 401) return <Refusal audience={audience} reason="signIn" />;
    return <ErrorState error={me.error} onRetry={me.retry} headingLevel={1} />;
  }
  if (!allowed(me.data)) return <Refusal audience={audience} reason="notAllowed" />;
  return <>{children(me.data)}</>;
}

/** "Sign in as staff" (or partner), or "your account may not open this page", as the page. */
export function Refusal({
  audience,
  reason,
}: {
  audience: Audience;
  reason: 'signIn' | 'notAllowed';
}) {
  const { t } = useTranslation();
  const title = t(`partners.access.${audience}.${reason}Title`);
  useDocumentTitle(title);
  return (
    <Alert
      role="alert"
      variant="light"
      color={reason === 'signIn' ? 'blue' : 'red'}
      radius="md"
      icon={<AlertIcon />}
      maw="44rem"
      title={
        <Title order={1} size="h3" c="inherit">
          {title}
        </Title>
      }
      data-testid="work-access-refused"
    >
      <Text>{t(`partners.access.${audience}.${reason}Detail`)}</Text>
      <Text mt="sm">
        <Anchor component={Link} to="/" fw={600} underline="always">
          {t('municipality.allMunicipalities')}
        </Anchor>
      </Text>
    </Alert>
  );
}

/** A refusal from an action's ApiError: 401 and 403 become the access messages. */
export function refusalOf(error: unknown): 'signIn' | 'notAllowed' | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 401) return 'signIn';
  if (error.status === 403) return 'notAllowed';
  return null;
}
