import { useTranslation } from 'react-i18next';
import type { Municipality } from '../api/types';
import { formatCount } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';
import classes from './pages.module.css';

/** Two headline figures of the region: municipalities taking part and their households. */
export function RegionSummary({ municipalities }: { municipalities: Municipality[] }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const households = municipalities.reduce((sum, m) => sum + m.registeredHouseholds, 0);
  return (
    <dl className={classes.summary}>
      <div className={classes.stat}>
        <dt className={classes.statLabel}>{t('home.municipalityCount')}</dt>
        <dd className={classes.statValue}>{formatCount(municipalities.length, locale)}</dd>
      </div>
      <div className={classes.stat}>
        <dt className={classes.statLabel}>{t('home.totalHouseholds')}</dt>
        <dd className={classes.statValue} data-testid="total-households">
          {formatCount(households, locale)}
        </dd>
      </div>
    </dl>
  );
}
