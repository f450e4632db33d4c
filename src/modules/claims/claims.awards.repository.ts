import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import { type ApprovedClaim, awardAdditions, newMemberCounts } from './awards.rules.js';

/**
 * Keeps the participation roll-up (migration 0026) in the transaction that approves claims, so
 * the figures agree with the claims at every commit. Approved is final (a claim is never
 * un-approved), so the roll-up only ever grows. Rows are written in sorted order: two approvals
 * touching the same months take their row locks in the same order and cannot deadlock.
 */

// Four columns a row; well under SQLite's 32,766 variables per statement.
const CHUNK = 2000;

export async function recordAwards(db: Db, claims: readonly ApprovedClaim[]): Promise<void> {
  const { members, activityMonths } = awardAdditions(claims);
  if (members.length === 0) return;
  const inserted: { municipality_id: string; period: string; member_kind: string }[] = [];
  for (const chunk of chunksOf(members)) {
    // Only the rows that were not there yet come back: those members are new in their period.
    const rows = await db
      .insertInto('award_members')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .returning(['municipality_id', 'period', 'member_kind'])
      .execute();
    inserted.push(...rows);
  }
  for (const chunk of chunksOf(
    newMemberCounts(inserted as Parameters<typeof newMemberCounts>[0]),
  )) {
    await db
      .insertInto('award_periods')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['municipality_id', 'period']).doUpdateSet({
          households: sql`award_periods.households + excluded.households`,
          residents: sql`award_periods.residents + excluded.residents`,
        }),
      )
      .execute();
  }
  for (const chunk of chunksOf(activityMonths)) {
    await db
      .insertInto('award_activity_months')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['municipality_id', 'month', 'activity_id']).doUpdateSet({
          claims: sql`award_activity_months.claims + excluded.claims`,
          points: sql`award_activity_months.points + excluded.points`,
          quantity_milli: sql`award_activity_months.quantity_milli + excluded.quantity_milli`,
        }),
      )
      .execute();
  }
}

function* chunksOf<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += CHUNK) yield rows.slice(start, start + CHUNK);
}
