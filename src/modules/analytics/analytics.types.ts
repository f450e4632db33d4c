import type { LocalizedText } from '../../shared/locales.js';
import type { Budget, Unit } from '../catalog/catalog.types.js';

/**
 * The participation and impact figures of a municipality (see docs/participation.md for the
 * definitions). Only aggregates: no figure names or identifies a resident or a household.
 */

/** What happened in one period (a Brussels calendar month or year). */
export interface PeriodFigures {
  /**
   * Households with at least one approved claim decided in the period; a resident who had no
   * household when claiming counts as a household of one.
   */
  households: number;
  /** households / registered households; null when the municipality registered none. */
  rate: number | null;
  /** Distinct residents with at least one approved claim decided in the period. */
  activeResidents: number;
  /** Points awarded by those claims. */
  pointsIssued: number;
  /** How many approved claims. */
  claims: number;
}

export interface MonthFigures extends PeriodFigures {
  /** `YYYY-MM`, a calendar month in Europe/Brussels. */
  month: string;
}

export interface YearFigures extends PeriodFigures {
  year: number;
}

export interface BudgetFigures {
  period: Budget['period'];
  points: number;
  /** Points awarded in the current budget period. */
  used: number;
  /** What is left of it (0 when spent). */
  left: number;
}

export interface ActivityFigures {
  activityId: string;
  code: string;
  names: LocalizedText;
  status: 'active' | 'archived';
  /** What the quantity measures (a waste stream, `volunteer_hours`), if anything. */
  impactKey: string | null;
  /** The unit of the quantity: per-unit activities' unit, `item` for fixed-points ones. */
  unit: Unit;
  pointsIssued: number;
  claims: number;
  quantity: number;
  /** The budget of the terms in force now, with its use in the current period. */
  budget: BudgetFigures | null;
}

export interface ImpactFigures {
  key: string;
  unit: Unit;
  quantity: number;
  months: { month: string; quantity: number }[];
}

/** The municipality's points as the ledger holds them (all time, posted only). */
export interface PointTotals {
  /** Points that ever left the issuance account (earned). */
  issued: number;
  /** Points residents spent: redeemed vouchers, donations, tax reductions, payouts. */
  spent: number;
  expired: number;
  /** Points in circulation: the issuance account's debit balance. */
  outstanding: number;
}

export interface Participation {
  municipality: { slug: string; names: LocalizedText };
  /** The first and last month of the range (`YYYY-MM`), both included. */
  from: string;
  to: string;
  registeredHouseholds: number;
  pointValueCents: number;
  months: MonthFigures[];
  /** Each calendar year the range touches, counted over the whole year (to date this year). */
  years: YearFigures[];
  /** Activities in force, and archived ones with claims in the range; most points first. */
  byActivity: ActivityFigures[];
  impact: ImpactFigures[];
  points: PointTotals;
  /** What the outstanding points cost the municipality: outstanding × point value. */
  liability: { points: number; cents: number };
  generatedAt: string;
}

/** The same figures for anyone: without the activities' internal ids. */
export interface PublicFigures extends Omit<Participation, 'byActivity'> {
  byActivity: Omit<ActivityFigures, 'activityId' | 'status'>[];
}

export interface MunicipalityComparison {
  slug: string;
  names: LocalizedText;
  registeredHouseholds: number;
  pointValueCents: number;
  month: PeriodFigures;
  year: PeriodFigures;
  /** The months up to `month`, oldest first. */
  trend: { month: string; households: number; rate: number | null }[];
  liability: { points: number; cents: number };
}

/** Every municipality of the region side by side, for one month and its year. */
export interface RegionComparison {
  month: string;
  year: number;
  months: string[];
  items: MunicipalityComparison[];
  generatedAt: string;
}
