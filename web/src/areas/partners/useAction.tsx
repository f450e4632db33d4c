import { Alert, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { AlertIcon } from '../../components/icons';

const KNOWN_ERRORS = [
  'partner_exists',
  'user_exists',
  'user_not_invited',
  'cannot_change_self',
  'api_key_revoked',
  'not_signed_in',
  'permission_denied',
  'invalid_input',
  'validation_failed',
] as const;

/**
 * One action at a time (a form's submit, a row's button): whether it runs, and what went wrong.
 * `run` resolves true when the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError('network', null, null));
      return false;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, run, clearError: () => setError(null) };
}

/** What went wrong with an action, in plain words, with the code for support. */
export function ActionError({ error }: { error: ApiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = error.code as (typeof KNOWN_ERRORS)[number] | null;
  const message =
    error.kind === 'network'
      ? t('partners.errors.network')
      : code && KNOWN_ERRORS.includes(code)
        ? t(`partners.errors.${code}`)
        : t('partners.errors.other');
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} my="sm">
      <Text>{message}</Text>
      {error.code && (
        <Text size="sm" c="dimmed">
          {t('error.code', { code: error.code })}
        </Text>
      )}
    </Alert>
  );
}
