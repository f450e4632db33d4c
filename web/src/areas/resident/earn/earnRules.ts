// `.js` so that test/web (NodeNext resolution) can import this file too.
import type {
  Activity,
  ActivityTerms,
  Claim,
  Limit,
  LimitPeriod,
  Unit,
  VerificationMethod,
} from './earnTypes.js';

/**
 * Pure rules of the resident's earning pages: how an activity is earned, what its claim form
 * asks for, and whether a limit is reached now. They mirror the API's rules closely enough to
 * explain and to suggest; the API still decides.
 */

/** How a resident earns an activity: claim it themselves, through a partner, or by a report. */
export type EarnWay =
  | { kind: 'claim'; method: ResidentMethod }
  | { kind: 'partner' }
  | { kind: 'report' };

/** A method a resident uses themselves, not one a partner or its system uses for them. */
export type ResidentMethod = Exclude<VerificationMethod, 'partner_confirmation' | 'import'>;

/** The methods a resident can use themselves (as the API picks them: the first is the default). */
export function residentMethods(
  terms: Pick<ActivityTerms, 'verificationMethods'>,
): ResidentMethod[] {
  return terms.verificationMethods.filter(
    (method): method is ResidentMethod => method !== 'partner_confirmation' && method !== 'import',
  );
}

/** How the activity is earned by a resident (see EarnWay). */
export function earnWay(
  terms: Pick<ActivityTerms, 'verificationMethods' | 'earnedThrough'>,
): EarnWay {
  if (terms.earnedThrough === 'reports') return { kind: 'report' };
  const [method] = residentMethods(terms);
  return method ? { kind: 'claim', method } : { kind: 'partner' };
}

export type Need = 'required' | 'optional' | 'none';

/** What the claim form asks for. */
export interface FormNeeds {
  /** The unit to ask a quantity in, or null for fixed points. */
  quantity: Unit | null;
  photo: Need;
  location: Need;
  siteCode: Need;
}

/** The fields of an activity's claim form and which of them must be filled. */
export function formNeeds(
  terms: Pick<ActivityTerms, 'verificationMethods' | 'evidence' | 'points'>,
): FormNeeds {
  const methods = residentMethods(terms);
  const first = methods[0];
  const evidenceHelps = methods.includes('photo_geo') || methods.includes('staff_review');
  return {
    quantity: terms.points.mode === 'per_unit' ? terms.points.unit : null,
    photo: terms.evidence.photo ? 'required' : evidenceHelps ? 'optional' : 'none',
    location: terms.evidence.location
      ? 'required'
      : methods.includes('photo_geo')
        ? 'optional'
        : 'none',
    siteCode:
      terms.evidence.site || first === 'site_code'
        ? 'required'
        : methods.includes('site_code')
          ? 'optional'
          : 'none',
  };
}

/** The points a quantity earns under the terms (as the API computes them), or null. */
export function pointsFor(terms: Pick<ActivityTerms, 'points'>, quantity: number): number | null {
  const points = terms.points;
  if (points.mode === 'fixed') return points.points;
  if (!Number.isFinite(quantity) || quantity <= 0) return null;
  const milli = Math.round(quantity * 1000);
  return Math.min(Math.floor((milli * points.pointsPerUnit) / 1000), points.maxPointsPerClaim);
}

/** Reads a typed amount ("2,5" or "2.5"); null when it is not a positive number with ≤ 3 decimals. */
export function parseQuantity(text: string): number | null {
  const normalized = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,3})?$/.test(normalized)) return null;
  const value = Number(normalized);
  return value > 0 && value <= 1_000_000 ? value : null;
}

/** Whether the activity's window is open at `now`, not open yet, or over. */
export function windowState(
  terms: Pick<ActivityTerms, 'validFrom' | 'validUntil'>,
  now: Date,
): 'open' | 'notYet' | 'over' {
  if (terms.validFrom && new Date(terms.validFrom) > now) return 'notYet';
  if (terms.validUntil && new Date(terms.validUntil) <= now) return 'over';
  return 'open';
}

// Limits count calendar periods in Brussels time, as the API does.
const brusselsDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (UTC midnight of it) that `instant` falls on in Brussels. */
function brusselsDay(instant: Date): Date {
  const parts = Object.fromEntries(
    brusselsDate.formatToParts(instant).map((part) => [part.type, part.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)));
}

const DAY_MS = 86_400_000;
const isoDate = (day: Date) => day.toISOString().slice(0, 10);

/** The first day of the period that contains `day`, or null for a lifetime. */
function periodStart(period: LimitPeriod, day: Date): Date | null {
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth();
  switch (period) {
    case 'day':
      return day;
    case 'week':
      return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'lifetime':
      return null;
  }
}

/**
 * The calendar day (YYYY-MM-DD, Brussels) on which the period containing `now` is over and a
 * new one starts; null for a lifetime, which never starts again.
 */
export function nextPeriodStart(period: LimitPeriod, now: Date): string | null {
  const start = periodStart(period, brusselsDay(now));
  if (!start) return null;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const next =
    period === 'day'
      ? new Date(start.getTime() + DAY_MS)
      : period === 'week'
        ? new Date(start.getTime() + 7 * DAY_MS)
        : period === 'month'
          ? new Date(Date.UTC(y, m + 1, 1))
          : new Date(Date.UTC(y + 1, 0, 1));
  return isoDate(next);
}

/** Whether two instants fall in the same period (a lifetime holds every instant). */
function samePeriod(period: LimitPeriod, a: Date, b: Date): boolean {
  const start = (instant: Date) => periodStart(period, brusselsDay(instant))?.getTime() ?? 0;
  return start(a) === start(b);
}

/**
 * The first of the activity's limits that the resident's own approved claims (of `claims`, any
 * activity) already fill in the period containing `now`, or null. A household limit counts only
 * this resident's claims, so it may be full sooner than this says.
 */
export function fullLimit(
  activityId: string,
  limits: readonly Limit[],
  claims: readonly Claim[],
  now: Date,
): Limit | null {
  const approved = claims.filter((c) => c.activityId === activityId && c.status === 'approved');
  for (const limit of limits) {
    const inPeriod = approved.filter((c) => samePeriod(limit.period, new Date(c.occurredAt), now));
    const points = inPeriod.reduce((sum, c) => sum + c.points, 0);
    if (limit.maxCount !== undefined && inPeriod.length >= limit.maxCount) return limit;
    if (limit.maxPoints !== undefined && points >= limit.maxPoints) return limit;
  }
  return null;
}

/** When a reached limit lets the resident claim again. */
export type Reset = { kind: 'date'; date: string } | { kind: 'never' } | { kind: 'unknown' };

/**
 * When the resident can claim again after a `limit_reached` refusal: the API's `resetsAt` when it
 * sent one (null: never), else worked out from the limit their claims fill now.
 */
export function limitReset(
  details: Record<string, unknown>,
  activity: Pick<Activity, 'id'> & { current: Pick<ActivityTerms, 'limits'> },
  claims: readonly Claim[],
  now: Date,
): Reset {
  if ('resetsAt' in details) {
    const resetsAt = details.resetsAt;
    if (resetsAt === null) return { kind: 'never' };
    if (typeof resetsAt === 'string' && !Number.isNaN(Date.parse(resetsAt))) {
      return { kind: 'date', date: isoDate(brusselsDay(new Date(resetsAt))) };
    }
  }
  const limits = activity.current.limits;
  const limit =
    fullLimit(activity.id, limits, claims, now) ??
    (limits.length === 1 ? limits[0] : undefined) ??
    null;
  if (!limit) return { kind: 'unknown' };
  const date = nextPeriodStart(limit.period, now);
  return date ? { kind: 'date', date } : { kind: 'never' };
}

/** The calendar day (YYYY-MM-DD, Brussels) an instant falls on. */
export function calendarDay(instant: string | Date): string {
  return isoDate(brusselsDay(new Date(instant)));
}

/**
 * Whether the resident can most likely claim the activity themselves right now: they can claim
 * it, it is open, nothing of theirs for it waits, no limit of theirs is full, no cooldown runs.
 */
export function canClaimNow(activity: Activity, claims: readonly Claim[], now: Date): boolean {
  const terms = activity.current;
  if (activity.status !== 'active' || earnWay(terms).kind !== 'claim') return false;
  if (windowState(terms, now) !== 'open') return false;
  const own = claims.filter((c) => c.activityId === activity.id);
  if (own.some((c) => c.status === 'submitted')) return false;
  if (fullLimit(activity.id, terms.limits, claims, now)) return false;
  if (terms.cooldownSeconds > 0) {
    const last = own
      .filter((c) => c.status === 'approved')
      .map((c) => Date.parse(c.decidedAt ?? c.occurredAt))
      .sort((a, b) => b - a)[0];
    if (last !== undefined && now.getTime() - last < terms.cooldownSeconds * 1000) return false;
  }
  return true;
}

/** Up to `count` activities to suggest: claimable now, the most points first. */
export function suggestions(
  activities: readonly Activity[],
  claims: readonly Claim[],
  now: Date,
  count = 2,
): Activity[] {
  const value = (a: Activity) =>
    a.current.points.mode === 'fixed' ? a.current.points.points : a.current.points.pointsPerUnit;
  return activities
    .filter((activity) => canClaimNow(activity, claims, now))
    .sort((a, b) => value(b) - value(a))
    .slice(0, count);
}

/** A fresh id for one claim form, so a resend after a dropped connection never claims twice. */
export function newClientClaimId(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
