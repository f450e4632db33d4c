import type { Db } from '../../storage/database.js';
import type { Activity, LimitPeriod } from '../catalog/catalog.types.js';
import type { ImportDraft } from './claims.batch.js';
import * as batchRepo from './claims.batch.repository.js';
import { awardedSince } from './claims.repository.js';
import type { EarningSettings } from './claims.types.js';
import { limitKey, periodEnd, periodStart } from './limits.rules.js';
import type { Usage } from './limits.types.js';

/**
 * What a batch of imported claims decides on — the limit usage of every draft's windows, the
 * budgets spent, the yearly totals, the last claims for cooldowns — read once per batch with
 * grouped queries and then kept up to date in memory as the batch decides row by row.
 */

export const NO_USAGE: Usage = { count: 0, points: 0 };

/** Counts one more claim of `points` in a window's usage. */
export function addUsage(usage: Map<string, Usage>, key: string, points: number) {
  const before = usage.get(key) ?? NO_USAGE;
  usage.set(key, { count: before.count + 1, points: before.points + points });
}

/** What the batch's decisions count on, read once and then kept up to date in memory. */
export interface Tally {
  /** Approved and waiting usage per window key (see windowsOf). */
  approved: Map<string, Usage>;
  waiting: Map<string, Usage>;
  /** Points awarded in the current budget period, per activity with a budget. */
  budget: Map<string, number>;
  /** Points awarded this year, per resident (with a yearly cap). */
  yearly: Map<string, number>;
  /** The last claim's time per `activityId|residentId` (activities with a cooldown). */
  last: Map<string, string>;
}

interface DraftWindow {
  /** Identifies the window: activity, period, resident or household, start. */
  key: string;
  /** The usage key the limit rules read it under (`limitKey(scope, period)`). */
  limit: string;
  column: 'resident_id' | 'household_id';
  subject: string;
  from: string | null;
  to: string | null;
}

/** The usage windows of a draft's limits, as askLimits measures them. */
export function windowsOf(draft: ImportDraft): DraftWindow[] {
  const windows: DraftWindow[] = [];
  for (const limit of draft.activity.current.limits) {
    // Without a household the resident is a household of one.
    const byHousehold = limit.scope === 'household' && draft.earner.householdId !== null;
    const subject = byHousehold ? draft.earner.householdId! : draft.earner.resident.id;
    const { from, to } = periodBounds(limit.period, draft.occurredAt);
    windows.push({
      key: `${draft.activity.id}|${limit.period}|${byHousehold ? 'h' : 'r'}|${subject}|${from ?? ''}`,
      limit: limitKey(limit.scope, limit.period),
      column: byHousehold ? 'household_id' : 'resident_id',
      subject,
      from,
      to,
    });
  }
  return windows;
}

const boundsCache = new Map<string, { from: string | null; to: string | null }>();

/**
 * The calendar period containing an instant, remembered per UTC hour: Brussels is a whole number
 * of hours from UTC, so every instant of one UTC hour falls on the same local day (and working
 * the zone out costs more than the rest of a row's decision).
 */
function periodBounds(period: LimitPeriod, occurredAt: string) {
  if (period === 'lifetime') return { from: null, to: null };
  const key = `${period}|${occurredAt.slice(0, 13)}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    const at = new Date(occurredAt);
    bounds = {
      from: periodStart(period, at).toISOString(),
      to: periodEnd(period, at).toISOString(),
    };
    if (boundsCache.size > 50_000) boundsCache.clear();
    boundsCache.set(key, bounds);
  }
  return bounds;
}

/** Reads the usage, budgets, yearly totals and last claims the drafts' decisions need. */
export async function readTally(
  db: Db,
  drafts: readonly ImportDraft[],
  settings: EarningSettings,
  now: Date,
): Promise<Tally> {
  const tally: Tally = {
    approved: new Map(),
    waiting: new Map(),
    budget: new Map(),
    yearly: new Map(),
    last: new Map(),
  };
  const groups = new Map<
    string,
    {
      activityId: string;
      column: DraftWindow['column'];
      keys: string[];
      windows: batchRepo.UsageWindow[];
    }
  >();
  const seen = new Set<string>();
  for (const draft of drafts) {
    for (const window of windowsOf(draft)) {
      if (seen.has(window.key)) continue;
      seen.add(window.key);
      const groupKey = `${draft.activity.id}|${window.column}`;
      let group = groups.get(groupKey);
      if (!group) {
        group = { activityId: draft.activity.id, column: window.column, keys: [], windows: [] };
        groups.set(groupKey, group);
      }
      group.keys.push(window.key);
      group.windows.push({ subject: window.subject, from: window.from, to: window.to });
    }
  }
  for (const group of groups.values()) {
    const usage = await batchRepo.usageInWindows(db, group.activityId, group.column, group.windows);
    for (const [index, found] of usage) {
      const key = group.keys[index]!;
      tally.approved.set(key, found.approved);
      tally.waiting.set(key, found.waiting);
    }
  }
  const activities = new Map<string, Activity>();
  for (const draft of drafts) activities.set(draft.activity.id, draft.activity);
  for (const activity of activities.values()) {
    const terms = activity.current;
    if (terms.budget) {
      const from = periodStart(terms.budget.period, now)?.toISOString() ?? null;
      tally.budget.set(activity.id, await awardedSince(db, { activityId: activity.id }, from));
    }
    if (terms.cooldownSeconds > 0) {
      const residents = [
        ...new Set(
          drafts.filter((d) => d.activity.id === activity.id).map((d) => d.earner.resident.id),
        ),
      ];
      for (const [residentId, last] of await batchRepo.lastClaimsAt(db, activity.id, residents)) {
        tally.last.set(`${activity.id}|${residentId}`, last);
      }
    }
  }
  if (settings.yearlyCapPoints !== null && drafts.length > 0) {
    tally.yearly = await batchRepo.awardedSinceByResident(
      db,
      [...new Set(drafts.map((d) => d.earner.resident.id))],
      periodStart('year', now).toISOString(),
    );
  }
  return tally;
}
