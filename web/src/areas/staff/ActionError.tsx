import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { AlertIcon } from '../../components/icons';

/** The API error codes the staff pages explain; anything else is "something went wrong". */
const EXPLAINED = [
  'user_exists',
  'cannot_change_self',
  'user_not_invited',
  'user_not_found',
  'permission_denied',
  'not_found',
  'invalid_input',
  'validation_failed',
  'too_many_sign_in_links',
  'rate_limited',
  'network',
] as const;
type Explained = (typeof EXPLAINED)[number] | 'server';

/** The message key part for an error thrown by an API call. */
export function explain(error: unknown): Explained {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  const code = error.code as Explained | null;
  return code && (EXPLAINED as readonly string[]).includes(code) ? code : 'server';
}

/** Says why an action failed and what to do, in the reader's language. */
export function ActionError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} data-testid="action-error">
      {t(`staffArea.errors.${explain(error)}`)}
    </Alert>
  );
}
