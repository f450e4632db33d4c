import {
  Alert,
  Button,
  Checkbox,
  Code,
  PasswordInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, putJson } from '../../api/client';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';

/** A municipality's single sign-on settings as the API returns them (never the secret). */
export interface OidcSettings {
  enabled: boolean;
  issuer: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  allowedEmailDomains: string[];
  redirectUri: string;
  updatedAt: string | null;
}

type Field = 'issuer' | 'clientId' | 'clientSecret' | 'domains';
type FormError = 'secrets_key_missing' | 'forbidden' | 'network' | 'server';

interface Draft {
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecret: string;
  domains: string;
}

const draftOf = (settings: OidcSettings): Draft => ({
  enabled: settings.enabled,
  issuer: settings.issuer ?? '',
  clientId: settings.clientId ?? '',
  clientSecret: '',
  domains: settings.allowedEmailDomains.join('\n'),
});

const domainsOf = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** https, or http for a sign-in service on this computer; the API checks again. */
const ISSUER =
  /^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)(\/[^\s?#]*)?$/i;

/**
 * The admin's form for single sign-on (OIDC) of municipality `slug`: turn it on or off, the
 * sign-in service's address (issuer), client id and secret, the allowed email domains, and the
 * redirect address to register with the service. The secret is never shown: only whether one is
 * kept; an empty secret field keeps it.
 */
export function OidcSettingsForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const path = `/api/municipalities/${encodeURIComponent(slug)}/settings/oidc`;
  const resource = useApiResource<OidcSettings>(path, { cache: false });
  const [settings, setSettings] = useState<OidcSettings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const headingId = useId();

  const loaded = resource.status === 'ready' ? resource.data : null;
  useEffect(() => {
    if (loaded) {
      setSettings(loaded);
      setDraft(draftOf(loaded));
    }
  }, [loaded]);

  if (resource.status === 'loading' || (resource.status === 'ready' && !draft)) {
    return <LoadingState label={t('oidc.settings.loading')} />;
  }
  if (resource.status === 'error')
    return <ErrorState error={resource.error} onRetry={resource.retry} />;
  if (!draft || !settings) return null;

  const update = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };

  const check = (): Partial<Record<Field, string>> => {
    const errors: Partial<Record<Field, string>> = {};
    if (!ISSUER.test(draft.issuer.trim())) errors.issuer = t('oidc.settings.errors.issuer');
    if (!draft.clientId.trim()) errors.clientId = t('oidc.settings.errors.clientId');
    return errors;
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = check();
    setFieldErrors(errors);
    setFormError(null);
    setSaved(false);
    if (Object.keys(errors).length > 0) {
      document.getElementById(`${headingId}-${Object.keys(errors)[0]}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const next = await putJson<OidcSettings>(path, {
        enabled: draft.enabled,
        issuer: draft.issuer.trim(),
        clientId: draft.clientId.trim(),
        ...(draft.clientSecret.trim() && { clientSecret: draft.clientSecret.trim() }),
        allowedEmailDomains: domainsOf(draft.domains),
      });
      setSettings(next);
      setDraft(draftOf(next));
      setSaved(true);
    } catch (error) {
      const [fields, form] = problemOf(error);
      setFieldErrors(
        Object.fromEntries(fields.map((field) => [field, fieldMessage(field, error)])),
      );
      setFormError(form);
    } finally {
      setSaving(false);
    }
  };

  const fieldMessage = (field: Field, error: unknown) =>
    error instanceof ApiError && error.code === 'oidc_discovery_failed'
      ? t('oidc.settings.errors.oidc_discovery_failed')
      : t(`oidc.settings.errors.${field}`);

  const id = (field: Field) => `${headingId}-${field}`;

  return (
    <Stack component="section" gap="lg" aria-labelledby={headingId} maw={640}>
      <div>
        <Title order={2} id={headingId}>
          {t('oidc.settings.title')}
        </Title>
        <Text mt="xs">{t('oidc.settings.intro')}</Text>
      </div>
      <div>
        <Text fw={600}>{t('oidc.settings.redirectUri')}</Text>
        <Text size="sm" c="dimmed">
          {t('oidc.settings.redirectUriHint')}
        </Text>
        <Code
          block
          mt="xs"
          data-testid="oidc-redirect-uri"
          // Wrapped rather than scrolled, so it reads on a phone and needs no keyboard scrolling.
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          {settings.redirectUri}
        </Code>
      </div>
      {formError && (
        <Alert
          role="alert"
          color="red"
          variant="light"
          icon={<AlertIcon />}
          title={t('oidc.settings.errorTitle')}
        >
          {t(`oidc.settings.errors.${formError}`)}
        </Alert>
      )}
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="md">
          <Checkbox
            size="md"
            label={t('oidc.settings.enabled')}
            description={t('oidc.settings.enabledHint')}
            checked={draft.enabled}
            onChange={(event) => update({ enabled: event.currentTarget.checked })}
            styles={{ body: { alignItems: 'center', minHeight: 44 } }}
          />
          <TextInput
            id={id('issuer')}
            label={t('oidc.settings.issuer')}
            description={t('oidc.settings.issuerHint')}
            type="url"
            inputMode="url"
            autoCapitalize="none"
            spellCheck={false}
            size="md"
            required
            value={draft.issuer}
            onChange={(event) => update({ issuer: event.currentTarget.value })}
            error={fieldErrors.issuer}
          />
          <TextInput
            id={id('clientId')}
            label={t('oidc.settings.clientId')}
            autoCapitalize="none"
            spellCheck={false}
            size="md"
            required
            value={draft.clientId}
            onChange={(event) => update({ clientId: event.currentTarget.value })}
            error={fieldErrors.clientId}
          />
          <PasswordInput
            id={id('clientSecret')}
            label={t('oidc.settings.clientSecret')}
            description={
              settings.hasClientSecret
                ? t('oidc.settings.clientSecretKept')
                : t('oidc.settings.clientSecretHint')
            }
            autoComplete="new-password"
            size="md"
            value={draft.clientSecret}
            onChange={(event) => update({ clientSecret: event.currentTarget.value })}
            error={fieldErrors.clientSecret}
          />
          <Textarea
            id={id('domains')}
            label={t('oidc.settings.domains')}
            description={t('oidc.settings.domainsHint')}
            autoCapitalize="none"
            spellCheck={false}
            autosize
            minRows={2}
            size="md"
            value={draft.domains}
            onChange={(event) => update({ domains: event.currentTarget.value })}
            error={fieldErrors.domains}
          />
          <div role="status" aria-live="polite">
            {saved && <Text fw={600}>{t('oidc.settings.saved')}</Text>}
          </div>
          <Button
            type="submit"
            size="lg"
            mih={44}
            loading={saving}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('oidc.settings.save')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

/** The fields a failed save names, and what to say above the form. */
function problemOf(error: unknown): [Field[], FormError | null] {
  if (!(error instanceof ApiError) || error.kind === 'network') return [[], 'network'];
  if (error.code === 'secrets_key_missing') return [[], 'secrets_key_missing'];
  if (error.status === 401 || error.status === 403) return [[], 'forbidden'];
  const fields = new Set<Field>();
  for (const pointer of error.fields) {
    if (pointer === '/body/issuer') fields.add('issuer');
    else if (pointer === '/body/clientId') fields.add('clientId');
    else if (pointer === '/body/clientSecret') fields.add('clientSecret');
    else if (pointer.startsWith('/body/allowedEmailDomains')) fields.add('domains');
  }
  return fields.size > 0 ? [[...fields], null] : [[], 'server'];
}
