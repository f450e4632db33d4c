import type { TFunction } from 'i18next';
import { formatCount, formatDate, intlLocale, pluralForm } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import { earnWay, residentMethods } from './earnRules';
import type { Activity, ActivityTerms, Limit, Points } from './earnTypes';

// The plain words for an activity's points, ways to earn and limits, in the reader's language.

/** "25 points", "10 points per hour, up to 80". */
export function pointsText(t: TFunction, points: Points, locale: Locale): string {
  if (points.mode === 'fixed') {
    return t(`earn.points.fixed.${pluralForm(points.points, locale)}`, {
      points: formatCount(points.points, locale),
    });
  }
  return t(`earn.points.perUnit.${points.unit}.${pluralForm(points.pointsPerUnit, locale)}`, {
    points: formatCount(points.pointsPerUnit, locale),
    max: formatCount(points.maxPointsPerClaim, locale),
  });
}

/** "25 points" for an amount. */
export function pointsAmount(t: TFunction, points: number, locale: Locale): string {
  return t(`earn.points.fixed.${pluralForm(points, locale)}`, {
    points: formatCount(points, locale),
  });
}

type PartnerKey = 'charity' | 'energy_provider' | 'recycling_centre' | 'merchant' | 'facility';

const partnerKey = (terms: Pick<ActivityTerms, 'partnerKind'>): PartnerKey | 'any' =>
  terms.partnerKind ?? 'any';

/** One line per way the activity is earned, in the order the municipality lists them. */
export function howToEarn(t: TFunction, terms: ActivityTerms): string[] {
  if (earnWay(terms).kind === 'report') return [t('earn.how.report')];
  const own = new Set<string>(residentMethods(terms));
  const lines = terms.verificationMethods.map((method) => {
    if (method === 'partner_confirmation') return t(`earn.how.partner.${partnerKey(terms)}`);
    if (method === 'import') {
      return t(
        `earn.how.import.${terms.partnerKind === 'recycling_centre' ? 'recycling_centre' : 'any'}`,
      );
    }
    return own.has(method) ? t(`earn.how.${method}`) : '';
  });
  return [...new Set(lines.filter(Boolean))];
}

/** One limit in plain words: "Once per household", "Up to 4 times a month" (earning and rewards). */
export function limitText(t: TFunction, limit: Limit, locale: Locale): string[] {
  const lines: string[] = [];
  if (limit.maxCount === 1) lines.push(t(`earn.limits.once.${limit.scope}.${limit.period}`));
  else if (limit.maxCount !== undefined) {
    lines.push(
      t(`earn.limits.times.${limit.scope}.${limit.period}`, {
        count: formatCount(limit.maxCount, locale),
      }),
    );
  }
  if (limit.maxPoints !== undefined) {
    lines.push(
      t(`earn.limits.points.${limit.scope}.${limit.period}`, {
        points: formatCount(limit.maxPoints, locale),
      }),
    );
  }
  return lines;
}

/** A wait in the largest whole unit that fits: "3 hours", "2 days", "30 minutes". */
export function durationText(seconds: number, locale: Locale): string {
  const [value, unit] =
    seconds >= 86_400 && seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds >= 3600
        ? [Math.ceil(seconds / 3600), 'hour']
        : [Math.max(1, Math.ceil(seconds / 60)), 'minute'];
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit,
    unitDisplay: 'long',
  }).format(value);
}

/** "in 3 hours" for a wait of that many seconds. */
export function relativeWait(seconds: number, locale: Locale): string {
  const format = new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' });
  if (seconds >= 86_400) return format.format(Math.ceil(seconds / 86_400), 'day');
  if (seconds >= 3600) return format.format(Math.ceil(seconds / 3600), 'hour');
  return format.format(Math.max(1, Math.ceil(seconds / 60)), 'minute');
}

/** The activity's limits, cooldown, budget and window in plain words. */
export function rulesText(t: TFunction, terms: ActivityTerms, locale: Locale, now: Date): string[] {
  const lines = terms.limits.flatMap((limit) => limitText(t, limit, locale));
  if (terms.cooldownSeconds > 0) {
    lines.push(t('earn.limits.cooldown', { time: durationText(terms.cooldownSeconds, locale) }));
  }
  if (terms.budget) lines.push(t(`earn.limits.budget.${terms.budget.period}`));
  if (terms.validFrom && new Date(terms.validFrom) > now) {
    lines.push(t('earn.limits.from', { date: formatDate(terms.validFrom, locale) }));
  }
  if (terms.validUntil) {
    lines.push(t('earn.limits.until', { date: formatDate(terms.validUntil, locale) }));
  }
  return lines;
}

/** The soonest announced change: "From 1 January 2027: 30 points", or that the rules change. */
export function upcomingText(t: TFunction, activity: Activity, locale: Locale): string | null {
  const next = activity.upcoming[0];
  if (!next) return null;
  const date = formatDate(next.effectiveFrom, locale);
  const now = pointsText(t, activity.current.points, locale);
  const then = pointsText(t, next.points, locale);
  return then !== now
    ? t('earn.upcoming.points', { date, points: then })
    : t('earn.upcoming.other', { date });
}

/** The activity's name in the reader's language. */
export const activityName = (terms: Pick<ActivityTerms, 'names'>, locale: Locale) =>
  terms.names[locale] || terms.names.en;
