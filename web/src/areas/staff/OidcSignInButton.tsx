import { Alert, Button, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { type MouseEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMunicipalities } from '../../api/endpoints';
import { useApiResource } from '../../api/useApiResource';
import { AlertIcon, KeyIcon } from '../../components/icons';
import { intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';

/** Why a single sign-on came back to the sign-in page: the `?error=` codes the API sends. */
export const OIDC_ERRORS = [
  'oidc_not_configured',
  'oidc_state_invalid',
  'oidc_failed',
  'oidc_user_unknown',
] as const;
export type OidcError = (typeof OIDC_ERRORS)[number];

/** The single sign-on error named by a `?error=` value, or null for anything else. */
export function oidcErrorOf(value: string | null): OidcError | null {
  return OIDC_ERRORS.find((code) => code === value) ?? null;
}

const REMEMBERED = 'civicpoints.oidc.municipality';

function remembered(): string {
  try {
    return window.localStorage.getItem(REMEMBERED) ?? '';
  } catch {
    return '';
  }
}

function remember(slug: string) {
  try {
    window.localStorage.setItem(REMEMBERED, slug);
  } catch {
    // Private browsing: the choice is simply not kept.
  }
}

/**
 * "Sign in with your municipality's account" for the staff sign-in page: choose the municipality
 * (only those that use single sign-on are offered; the last choice is remembered), then the
 * browser goes to /api/auth/oidc/:slug/start and on to the municipality's own sign-in. When the
 * sign-in comes back with `?error=…`, says what happened and what to do. Shows nothing when no
 * municipality uses single sign-on and there is no error to explain.
 */
export function OidcSignInButton() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [params] = useSearchParams();
  const error = oidcErrorOf(params.get('error'));
  const municipalities = useMunicipalities();
  const sso = useApiResource<{ items: { slug: string }[] }>('/api/auth/oidc/municipalities', {
    cache: false,
  });
  const [choice, setChoice] = useState(remembered);
  const [mustChoose, setMustChoose] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  const headingId = useId();

  const options =
    municipalities.status === 'ready' && sso.status === 'ready'
      ? municipalities.data.items
          .filter((m) => sso.data.items.some((item) => item.slug === m.slug))
          .sort((a, b) => a.names[locale].localeCompare(b.names[locale], intlLocale(locale)))
          .map((m) => ({ value: m.slug, label: m.names[locale] }))
      : [];
  if (options.length === 0 && !error) return null;

  const only = options.length === 1 ? options[0] : undefined;
  const slug = only?.value ?? options.find((o) => o.value === choice)?.value ?? '';

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (slug) {
      remember(slug);
      return;
    }
    event.preventDefault();
    setMustChoose(true);
    select.current?.focus();
  };

  return (
    <Stack component="section" gap="md" aria-labelledby={headingId} data-testid="oidc-sign-in">
      <div>
        <Title order={2} size="h3" id={headingId}>
          {t('oidc.signIn.title')}
        </Title>
        <Text mt="xs">{t('oidc.signIn.intro')}</Text>
      </div>
      {error && (
        <Alert
          role="alert"
          color="red"
          variant="light"
          icon={<AlertIcon />}
          title={t(`oidc.errors.${error}.title`)}
          data-testid="oidc-error"
        >
          {t(`oidc.errors.${error}.detail`)}
        </Alert>
      )}
      {options.length > 1 && (
        <NativeSelect
          ref={select}
          label={t('oidc.signIn.municipality')}
          size="lg"
          value={slug}
          onChange={(event) => {
            setChoice(event.currentTarget.value);
            setMustChoose(false);
          }}
          data={[{ value: '', label: t('oidc.signIn.choose'), disabled: true }, ...options]}
          error={mustChoose ? t('oidc.signIn.chooseFirst') : undefined}
        />
      )}
      {options.length > 0 && (
        <Button
          component="a"
          href={slug ? `/api/auth/oidc/${encodeURIComponent(slug)}/start` : '#'}
          onClick={onClick}
          size="lg"
          mih={44}
          h="auto"
          py="xs"
          variant="outline"
          leftSection={<KeyIcon />}
          fullWidth
          styles={{ label: { whiteSpace: 'normal', lineHeight: 1.3 } }}
        >
          {only ? t('oidc.signIn.buttonFor', { name: only.label }) : t('oidc.signIn.button')}
        </Button>
      )}
    </Stack>
  );
}
