import { monthOf } from '../../shared/calendar.js';
import type { AwardActivityMonthsTable, AwardMembersTable } from '../../storage/schema.js';

/**
 * Pure rules of the participation roll-up (migration 0026): what approving some claims adds to
 * it. A claim counts in the Brussels month and year of its decision, for its household (a resident
 * without one is a household of one) and its resident.
 */

export interface ApprovedClaim {
  municipality_id: string;
  activity_id: string;
  resident_id: string;
  household_id: string | null;
  points: number;
  quantity_milli: number;
  decided_at: string | null;
}

export type AwardMember = AwardMembersTable;
export type AwardActivityMonth = AwardActivityMonthsTable;

export interface AwardAdditions {
  /** Distinct member rows, sorted (so concurrent writers take row locks in one order). */
  members: AwardMember[];
  /** Sums per municipality, month and activity, sorted the same way. */
  activityMonths: AwardActivityMonth[];
}

/** The roll-up rows that approving `claims` adds (before knowing which members are new). */
export function awardAdditions(claims: readonly ApprovedClaim[]): AwardAdditions {
  const members = new Map<string, AwardMember>();
  const cells = new Map<string, AwardActivityMonth>();
  for (const claim of claims) {
    if (claim.decided_at === null) continue;
    const month = monthOf(new Date(claim.decided_at));
    const municipality = claim.municipality_id;
    const household = claim.household_id ?? claim.resident_id;
    for (const period of [month.slice(0, 4), month]) {
      for (const [kind, id] of [
        ['household', household],
        ['resident', claim.resident_id],
      ] as const) {
        const key = `${municipality}\u0000${period}\u0000${kind}\u0000${id}`;
        members.set(key, {
          municipality_id: municipality,
          period,
          member_kind: kind,
          member_id: id,
        });
      }
    }
    const cellKey = `${municipality}\u0000${month}\u0000${claim.activity_id}`;
    const cell = cells.get(cellKey) ?? {
      municipality_id: municipality,
      month,
      activity_id: claim.activity_id,
      claims: 0,
      points: 0,
      quantity_milli: 0,
    };
    cell.claims += 1;
    cell.points += claim.points;
    cell.quantity_milli += claim.quantity_milli;
    cells.set(cellKey, cell);
  }
  return {
    members: sortedValues(members),
    activityMonths: sortedValues(cells),
  };
}

/** How many new member rows each municipality and period gained, sorted by key. */
export function newMemberCounts(
  inserted: readonly Pick<AwardMember, 'municipality_id' | 'period' | 'member_kind'>[],
): { municipality_id: string; period: string; households: number; residents: number }[] {
  const counts = new Map<
    string,
    { municipality_id: string; period: string; households: number; residents: number }
  >();
  for (const row of inserted) {
    const key = `${row.municipality_id}\u0000${row.period}`;
    const entry = counts.get(key) ?? {
      municipality_id: row.municipality_id,
      period: row.period,
      households: 0,
      residents: 0,
    };
    if (row.member_kind === 'household') entry.households += 1;
    else entry.residents += 1;
    counts.set(key, entry);
  }
  return sortedValues(counts);
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((key) => map.get(key)!);
}
