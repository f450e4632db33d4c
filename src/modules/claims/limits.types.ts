import type { Budget, Limit, LimitPeriod, LimitScope } from '../catalog/catalog.types.js';

/** What the limit rules (limits.rules.ts) decide over: pure data, gathered by the claims service. */

/** Approved (or, for the cautious check, approved plus waiting) claims in one window. */
export interface Usage {
  count: number;
  points: number;
}

/** The usage behind every limit of a claim, keyed by `limitKey(scope, period)`. */
export type UsageByLimit = Record<string, Usage>;

export interface LimitCheckInput {
  /** Points the claim would earn before any cap. */
  requestedPoints: number;
  limits: readonly Limit[];
  /** Usage per `limitKey(limit.scope, limit.period)`; a missing key means no usage. */
  usage: UsageByLimit;
  /** The activity's budget and the points already awarded in its current period. */
  budget: Budget | null;
  budgetUsed: number;
  /** The municipality's yearly cap per resident across all activities, and this year's total. */
  yearlyCap: number | null;
  yearlyUsed: number;
  /** Seconds since the resident's last approved claim of the activity (null: none). */
  secondsSinceLast: number | null;
  cooldownSeconds: number;
}

/** Why a claim cannot earn (all of them), and the points it may earn after the point caps. */
export type LimitViolation =
  | { code: 'count_limit'; scope: LimitScope; period: LimitPeriod; max: number }
  | { code: 'points_limit'; scope: LimitScope; period: LimitPeriod; max: number }
  | { code: 'budget_spent'; left: number }
  | { code: 'yearly_cap'; left: number }
  | { code: 'cooldown'; secondsLeft: number };

export interface LimitCheckResult {
  /** 0 when the claim may not earn anything. */
  awardPoints: number;
  /** True when a points cap (limit, budget, yearly cap) lowered the award below the request. */
  capped: boolean;
  /** Count limits and cooldown refuse; points caps only refuse when nothing is left. */
  violations: LimitViolation[];
}
