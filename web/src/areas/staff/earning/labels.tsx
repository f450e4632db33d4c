import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatCount, pluralForm } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import classes from './earning.module.css';
import { formatDistance, formatQuantity } from './earningFormat';
import type { ClaimFlag, ClaimStatus, Points, Risk, Unit } from './earningTypes';

/** A claim's risk as a badge with its word ("Risk: high"), never by colour alone. */
export function RiskBadge({ risk }: { risk: Risk }) {
  const { t } = useTranslation();
  return (
    <span className={classes.risk} data-risk={risk} data-testid="risk-badge">
      {t('review.risk.badge', { risk: t(`review.risk.levels.${risk}`) })}
    </span>
  );
}

/** A claim's state in words: waiting, approved, not approved, withdrawn. */
export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return (
    <span className={classes.status} data-status={status}>
      {t(`review.statuses.${status}`)}
    </span>
  );
}

/** "25 points", or "10 per hour, at most 80 a claim". */
export function pointsText(points: Points, t: TFunction, locale: Locale): string {
  if (points.mode === 'fixed') {
    return t(`catalogue.pointsFixed.${pluralForm(points.points, locale)}`, {
      points: formatCount(points.points, locale),
    });
  }
  return t('catalogue.pointsPerUnit', {
    points: formatCount(points.pointsPerUnit, locale),
    unit: t(`catalogue.unitNames.${points.unit}`),
    max: formatCount(points.maxPointsPerClaim, locale),
  });
}

/** A quantity with its unit: "2.5 kg", "3 hours", "1 item". */
export function quantityText(quantity: number, unit: Unit, t: TFunction, locale: Locale): string {
  return t(`catalogue.amounts.${unit}.${pluralForm(quantity, locale)}`, {
    amount: formatQuantity(quantity, locale),
  });
}

/** A flag's name and what it means for this claim, in plain words with its facts. */
export function flagText(
  flag: ClaimFlag,
  t: TFunction,
  locale: Locale,
): { name: string; detail: string } {
  const number = (key: string) => Number(flag.detail[key] ?? 0);
  if (flag.code === 'new_account' && number('days') === 0) {
    return {
      name: t('review.flags.new_account.name'),
      detail: t('review.flags.new_account.today'),
    };
  }
  return {
    name: t(`review.flags.${flag.code}.name`),
    detail: t(`review.flags.${flag.code}.detail`, {
      distance: formatDistance(number('meters'), locale),
      hours: formatCount(number('hours'), locale),
      days: formatCount(number('days'), locale),
      claims: formatCount(number('claims'), locale),
      minutes: formatCount(number('minutes'), locale),
    }),
  };
}
