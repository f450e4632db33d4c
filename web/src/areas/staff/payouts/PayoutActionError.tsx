import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { AlertIcon } from '../../../components/icons';
import { PAYOUT_ERROR_CODES, type PayoutErrorCode } from '../../resident/payouts/payoutProblems';
import { explain } from '../ActionError';

/** Why a payouts action failed: the payouts error codes in their own words, others as usual. */
export function PayoutActionError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : null;
  const payoutCode = (PAYOUT_ERROR_CODES as readonly (string | null)[]).includes(code)
    ? (code as PayoutErrorCode)
    : null;
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} data-testid="action-error">
      {payoutCode ? t(`payouts.errors.${payoutCode}`) : t(`staffArea.errors.${explain(error)}`)}
    </Alert>
  );
}
