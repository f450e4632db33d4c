import { Alert, Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../api/client';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { PAYOUT_ERROR_CODES, type PayoutErrorCode } from '../../resident/payouts/payoutProblems';

/**
 * Why a section of the payouts page could not load. A payouts code in its own words (the chain
 * not answering, payouts not set up); `payout_not_found` on a section's own route means the
 * server does not offer it yet (`…/payouts/:payoutId` answered); anything else as usual.
 */
export function SectionError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const { t } = useTranslation();
  if (error.code === 'payout_not_found') {
    return (
      <Alert color="notice" variant="light" icon={<AlertIcon />} data-testid="not-available">
        {t('staffPayouts.notAvailable')}
      </Alert>
    );
  }
  if (!(PAYOUT_ERROR_CODES as readonly (string | null)[]).includes(error.code)) {
    return <ErrorState error={error} onRetry={onRetry} />;
  }
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
      {t(`payouts.errors.${error.code as PayoutErrorCode}`)}
      <div>
        <Button mt="sm" onClick={onRetry}>
          {t('error.retry')}
        </Button>
      </div>
    </Alert>
  );
}
