import { monthOf } from '../../shared/calendar.js';
import type { FieldError } from '../../shared/errors.js';
import { csvField } from '../audit/audit.rules.js';
import type { Activity, Unit } from '../catalog/catalog.types.js';
import type { AwardCell, AwardCounts } from '../claims/claims.figures.js';
import type { KindTotals } from '../ledger/ledger.figures.js';
import type { AccountKind } from '../ledger/ledger.types.js';
import type {
  ActivityFigures,
  ImpactFigures,
  MonthFigures,
  PeriodFigures,
  PointTotals,
  PublicFigures,
} from './analytics.types.js';

/**
 * Pure rules of the figures: Brussels calendar months and their windows, the range asked for,
 * the participation rate, the assembly of the figures from the aggregates, the CSV. No I/O.
 */

export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';
/** The longest range one request may ask for, in months. */
export const MAX_MONTHS = 60;
/** The default range: this many months, up to this month. */
export const DEFAULT_MONTHS = 12;

const MONTH = new RegExp(MONTH_PATTERN);

/** The Brussels calendar month (`YYYY-MM`) containing an instant: the roll-up's month. */
export const monthAt = monthOf;

function parseMonth(month: string): { year: number; month: number } {
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

/** The month `count` months after `month` (before, when negative). */
export function shiftMonth(month: string, count: number): string {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, both included, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/**
 * The months a request asks for: `to` defaults to the month of `now`, `from` to 11 months before
 * `to`. Errors for a month that is not `YYYY-MM`, `from` after `to`, or more than MAX_MONTHS.
 */
export function resolveMonths(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { months: string[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value !== undefined && !MONTH.test(value)) {
      errors.push({ field: `/${field}`, code: 'month', message: 'Give a month as YYYY-MM.' });
    }
  }
  if (errors.length > 0) return { months: [], errors };
  const to = input.to ?? monthAt(now);
  const from = input.from ?? shiftMonth(to, -(DEFAULT_MONTHS - 1));
  if (from > to) {
    errors.push({
      field: '/from',
      code: 'order',
      message: 'The first month comes after the last.',
    });
    return { months: [], errors };
  }
  const months = monthsBetween(from, to);
  if (months.length > MAX_MONTHS) {
    errors.push({
      field: '/from',
      code: 'range',
      message: `Ask for at most ${MAX_MONTHS} months at a time.`,
    });
    return { months: [], errors };
  }
  return { months, errors };
}

/** The calendar years the months fall in, oldest first. */
export function yearsOf(months: readonly string[]): number[] {
  return [...new Set(months.map((m) => parseMonth(m).year))].sort((a, b) => a - b);
}

/** Participating over registered households; null when none are registered. */
export function participationRate(households: number, registered: number): number | null {
  return registered > 0 ? households / registered : null;
}

/** A period's figures from its counts. */
export function periodFigures(counts: AwardCounts, registered: number): PeriodFigures {
  return {
    households: counts.households,
    rate: participationRate(counts.households, registered),
    activeResidents: counts.residents,
    pointsIssued: counts.points,
    claims: counts.claims,
  };
}

/** The unit an activity's quantity is in: its per-unit unit, or items for fixed points. */
export function unitOf(activity: Activity): Unit {
  return activity.current.points.mode === 'per_unit' ? activity.current.points.unit : 'item';
}

/**
 * The figures per activity over the range: every activity in force, and archived ones that had
 * claims; most points first, then by code. `budgetUsed` holds each budgeted activity's use.
 */
export function activityFigures(
  activities: readonly Activity[],
  cells: readonly AwardCell[],
  budgetUsed: ReadonlyMap<string, number>,
): ActivityFigures[] {
  const totals = new Map<string, { claims: number; points: number; quantityMilli: number }>();
  for (const cell of cells) {
    const total = totals.get(cell.activityId) ?? { claims: 0, points: 0, quantityMilli: 0 };
    total.claims += cell.claims;
    total.points += cell.points;
    total.quantityMilli += cell.quantityMilli;
    totals.set(cell.activityId, total);
  }
  return activities
    .filter((activity) => activity.status === 'active' || totals.has(activity.id))
    .map((activity) => {
      const total = totals.get(activity.id) ?? { claims: 0, points: 0, quantityMilli: 0 };
      const budget = activity.current.budget;
      const used = budgetUsed.get(activity.id) ?? 0;
      return {
        activityId: activity.id,
        code: activity.code,
        names: activity.current.names,
        status: activity.status,
        impactKey: activity.current.impactKey,
        unit: unitOf(activity),
        pointsIssued: total.points,
        claims: total.claims,
        quantity: total.quantityMilli / 1000,
        budget: budget && {
          period: budget.period,
          points: budget.points,
          used,
          left: Math.max(0, budget.points - used),
        },
      };
    })
    .sort((a, b) => b.pointsIssued - a.pointsIssued || a.code.localeCompare(b.code));
}

/**
 * Quantities per impact key and unit (kg of a waste stream, volunteer hours), in total and per
 * month of `months` (bucket i is months[i]); keys in alphabetical order.
 */
export function impactFigures(
  activities: readonly Activity[],
  cells: readonly AwardCell[],
  months: readonly string[],
): ImpactFigures[] {
  const byId = new Map(activities.map((a) => [a.id, a]));
  const impact = new Map<string, { key: string; unit: Unit; perMonth: number[] }>();
  for (const cell of cells) {
    const activity = byId.get(cell.activityId);
    const key = activity?.current.impactKey;
    if (!activity || !key) continue;
    const unit = unitOf(activity);
    const id = `${key}\u0000${unit}`;
    const entry = impact.get(id) ?? { key, unit, perMonth: months.map(() => 0) };
    entry.perMonth[cell.bucket] = (entry.perMonth[cell.bucket] ?? 0) + cell.quantityMilli;
    impact.set(id, entry);
  }
  return [...impact.values()]
    .sort((a, b) => a.key.localeCompare(b.key) || a.unit.localeCompare(b.unit))
    .map(({ key, unit, perMonth }) => ({
      key,
      unit,
      quantity: perMonth.reduce((sum, milli) => sum + milli, 0) / 1000,
      months: months.map((month, i) => ({ month, quantity: (perMonth[i] ?? 0) / 1000 })),
    }));
}

const SPENDING_KINDS: readonly AccountKind[] = ['partner', 'donation', 'tax_credit', 'payout'];

/**
 * The account kinds pointTotals reads: not the wallets, which are nearly all of a municipality's
 * accounts (300,000 at region scale) and whose sums the figures do not need.
 */
export const POINT_TOTAL_KINDS: readonly AccountKind[] = ['issuance', 'expired', ...SPENDING_KINDS];

/**
 * The municipality's points from its accounts: issued is what left the issuance account, outstanding
 * its debit balance (issued less reversals), spent what reached partners, causes, tax reductions
 * and payouts, expired what went to the expired account.
 */
export function pointTotals(totals: Partial<Record<AccountKind, KindTotals>>): PointTotals {
  const issuance = totals.issuance;
  return {
    issued: issuance?.debitsPosted ?? 0,
    spent: SPENDING_KINDS.reduce((sum, kind) => sum + (totals[kind]?.creditsPosted ?? 0), 0),
    expired: totals.expired?.creditsPosted ?? 0,
    outstanding: (issuance?.debitsPosted ?? 0) - (issuance?.creditsPosted ?? 0),
  };
}

export const FIGURES_CSV_COLUMNS = [
  'municipality',
  'period',
  'measure',
  'subject',
  'value',
  'unit',
] as const;

type CsvRow = [
  period: string,
  measure: string,
  subject: string,
  value: number | null,
  unit: string,
];

function periodRows(period: string, figures: PeriodFigures): CsvRow[] {
  return [
    [period, 'participating_households', '', figures.households, 'households'],
    [period, 'participation_rate', '', figures.rate, 'ratio'],
    [period, 'active_residents', '', figures.activeResidents, 'residents'],
    [period, 'points_issued', '', figures.pointsIssued, 'points'],
    [period, 'approved_claims', '', figures.claims, 'claims'],
  ];
}

/**
 * The figures as CSV in long form, one value a line (`municipality,period,measure,subject,value,
 * unit`), so every figure keeps its meaning in a spreadsheet or a script: periods are `YYYY-MM`,
 * `YYYY`, the range `YYYY-MM/YYYY-MM`, or `now` for balances; subjects name an activity by code
 * or an impact key. Fields are formula-safe (csvField).
 */
export function figuresCsv(figures: PublicFigures): string {
  const range = `${figures.from}/${figures.to}`;
  const rows: CsvRow[] = [
    ['now', 'registered_households', '', figures.registeredHouseholds, 'households'],
    ['now', 'point_value', '', figures.pointValueCents, 'cents'],
  ];
  for (const month of figures.months) rows.push(...periodRows(month.month, month));
  for (const year of figures.years) rows.push(...periodRows(String(year.year), year));
  for (const activity of figures.byActivity) {
    const subject = `activity:${activity.code}`;
    rows.push([range, 'points_issued', subject, activity.pointsIssued, 'points']);
    rows.push([range, 'approved_claims', subject, activity.claims, 'claims']);
    rows.push([range, 'quantity', subject, activity.quantity, activity.unit]);
    if (activity.budget) {
      rows.push([
        'now',
        `budget_${activity.budget.period}`,
        subject,
        activity.budget.points,
        'points',
      ]);
      rows.push(['now', 'budget_used', subject, activity.budget.used, 'points']);
      rows.push(['now', 'budget_left', subject, activity.budget.left, 'points']);
    }
  }
  for (const impact of figures.impact) {
    for (const month of impact.months) {
      rows.push([month.month, 'impact', impact.key, month.quantity, impact.unit]);
    }
    rows.push([range, 'impact', impact.key, impact.quantity, impact.unit]);
  }
  rows.push(['now', 'points_issued_total', '', figures.points.issued, 'points']);
  rows.push(['now', 'points_spent_total', '', figures.points.spent, 'points']);
  rows.push(['now', 'points_expired_total', '', figures.points.expired, 'points']);
  rows.push(['now', 'points_outstanding', '', figures.points.outstanding, 'points']);
  rows.push(['now', 'liability', '', figures.liability.cents, 'cents']);
  const slug = figures.municipality.slug;
  const lines = rows.map(
    ([period, measure, subject, value, unit]) =>
      `${[slug, period, measure, subject, value === null ? '' : String(value), unit]
        .map(csvField)
        .join(',')}\r\n`,
  );
  return `${FIGURES_CSV_COLUMNS.join(',')}\r\n${lines.join('')}`;
}

/** The month figures of `months` from their counts and the registered households. */
export function monthFigures(
  months: readonly string[],
  counts: readonly AwardCounts[],
  registered: number,
): MonthFigures[] {
  return months.map((month, i) => ({
    month,
    ...periodFigures(
      counts[i] ?? { households: 0, residents: 0, points: 0, claims: 0 },
      registered,
    ),
  }));
}
