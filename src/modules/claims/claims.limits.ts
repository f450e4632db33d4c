import type { Db } from '../../storage/database.js';
import type { ActivityTerms } from '../catalog/catalog.types.js';
import * as repo from './claims.repository.js';
import type { EarningSettings } from './claims.types.js';
import { checkLimits, limitKey, periodEnd, periodStart } from './limits.rules.js';
import type { LimitCheckResult, UsageByLimit } from './limits.types.js';

/**
 * Gathers what the limit rules need from the database — usage per limit, the activity's budget
 * spent this period, the resident's points this year, the last claim for the cooldown — and asks
 * them. Runs inside the decision's locked transaction.
 */

export interface LimitQuestion {
  terms: Pick<ActivityTerms, 'limits' | 'budget' | 'cooldownSeconds'>;
  activityId: string;
  residentId: string;
  householdId: string | null;
  requestedPoints: number;
  occurredAt: string;
  now: Date;
  settings: EarningSettings;
  /** The claim being decided, left out of its own usage. */
  excludeClaimId: string | null;
}

export interface LimitAnswer {
  /** Counting approved claims only: what may be awarded. */
  approved: LimitCheckResult;
  /** Counting claims still waiting as well: the cautious view. */
  withWaiting: LimitCheckResult;
}

/** Both views of the limits for one claim. */
export async function askLimits(db: Db, question: LimitQuestion): Promise<LimitAnswer> {
  const { terms } = question;
  const occurred = new Date(question.occurredAt);
  const approved: UsageByLimit = {};
  const withWaiting: UsageByLimit = {};
  for (const limit of terms.limits) {
    const key = limitKey(limit.scope, limit.period);
    // Without a household the resident is a household of one.
    const by =
      limit.scope === 'household' && question.householdId !== null
        ? { householdId: question.householdId }
        : { residentId: question.residentId };
    const from = periodStart(limit.period, occurred);
    const to = periodEnd(limit.period, occurred);
    const usage = await repo.usageOf(
      db,
      by,
      question.activityId,
      from?.toISOString() ?? null,
      to?.toISOString() ?? null,
      question.excludeClaimId,
    );
    approved[key] = usage.approved;
    withWaiting[key] = {
      count: usage.approved.count + usage.waiting.count,
      points: usage.approved.points + usage.waiting.points,
    };
  }
  const budgetUsed = terms.budget
    ? await repo.awardedSince(
        db,
        { activityId: question.activityId },
        periodStart(terms.budget.period, question.now)?.toISOString() ?? null,
      )
    : 0;
  const yearlyUsed =
    question.settings.yearlyCapPoints === null
      ? 0
      : await repo.awardedSince(
          db,
          { residentId: question.residentId },
          periodStart('year', question.now)!.toISOString(),
        );
  let secondsSinceLast: number | null = null;
  if (terms.cooldownSeconds > 0) {
    const last = await repo.lastClaimAt(
      db,
      question.residentId,
      question.activityId,
      question.excludeClaimId,
    );
    if (last)
      secondsSinceLast = Math.max(0, Math.floor((occurred.getTime() - Date.parse(last)) / 1000));
  }
  const common = {
    requestedPoints: question.requestedPoints,
    limits: terms.limits,
    budget: terms.budget,
    budgetUsed,
    yearlyCap: question.settings.yearlyCapPoints,
    yearlyUsed,
    secondsSinceLast,
    cooldownSeconds: terms.cooldownSeconds,
  };
  return {
    approved: checkLimits({ ...common, usage: approved }),
    withWaiting: checkLimits({ ...common, usage: withWaiting }),
  };
}
