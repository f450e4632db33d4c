import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import earn from '../earn/earn.module.css';
import { useMyPayoutSettings } from './payoutsApi';
import { isEnabled } from './payoutTypes';

/** On the resident home, beside spending: "Get paid out in tokens", where the municipality pays out. */
export function PayoutsLink() {
  const { t } = useTranslation();
  const settings = useMyPayoutSettings();
  if (settings.status !== 'ready' || !isEnabled(settings.data)) return null;
  return (
    <Button
      component={Link}
      to="/resident/payouts"
      variant="light"
      size="md"
      fullWidth
      className={earn.wrap}
      classNames={{ label: earn.wrapLabel }}
      data-testid="payouts-link"
    >
      {t('payouts.link', { symbol: settings.data.tokenSymbol })}
    </Button>
  );
}
