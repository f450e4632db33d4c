import { useTranslation } from 'react-i18next';
import classes from './payouts.module.css';
import type { PayoutStatus } from './payoutTypes';

/** A payout's status in words (the same words on the resident's and the staff's pages). */
export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  const { t } = useTranslation();
  return (
    <span className={classes.status} data-status={status} data-testid="payout-status">
      {t(`payouts.status.${status}`)}
    </span>
  );
}
