import { sql } from 'kysely';
import { monthBounds, monthOf, yearBounds } from '../src/shared/calendar.js';
import type { Storage } from '../src/storage/database.js';

/**
 * The participation read as it was before migration 0026's roll-up, kept only so the region
 * benchmark measures before and after in the same run (`participation_from_claims`): distinct
 * households and residents, points and claims of the approved claims of each of the last 12
 * Brussels months and of their years, counted over the claims (claims_awarded_index).
 */
export async function participationFromClaims(
  storage: Storage,
  municipalityId: string,
  now: Date,
): Promise<unknown> {
  const months: string[] = [];
  for (let at = now, i = 0; i < 12; i += 1) {
    const month = monthOf(at);
    months.unshift(month);
    at = new Date(monthBounds(month)!.start.getTime() - 1);
  }
  const windows = [
    ...months.map((m) => monthBounds(m)!),
    ...[...new Set(months.map((m) => Number(m.slice(0, 4))))].map(yearBounds),
  ].map(({ start, end }) => ({ from: start.toISOString(), to: end.toISOString() }));
  const span = {
    from: windows.map((w) => w.from).sort()[0]!,
    to: windows
      .map((w) => w.to)
      .sort()
      .at(-1)!,
  };
  const activityIds = (
    await storage.db
      .selectFrom('activities')
      .select('id')
      .where('municipality_id', '=', municipalityId)
      .execute()
  ).map((a) => a.id);
  const inWindow = (w: { from: string; to: string }) =>
    sql`decided_at >= ${w.from} and decided_at < ${w.to}`;
  return storage.db
    .selectFrom('claims')
    .where('municipality_id', '=', municipalityId)
    .where('activity_id', 'in', activityIds)
    .where('status', '=', 'approved')
    .where('decided_at', '>=', span.from)
    .where('decided_at', '<', span.to)
    .select(
      windows.flatMap((w, i) => [
        sql<number>`count(distinct case when ${inWindow(w)} then coalesce(household_id, resident_id) end)`.as(
          `h${i}`,
        ),
        sql<number>`count(distinct case when ${inWindow(w)} then resident_id end)`.as(`r${i}`),
        sql<number>`sum(case when ${inWindow(w)} then points else 0 end)`.as(`p${i}`),
        sql<number>`sum(case when ${inWindow(w)} then 1 else 0 end)`.as(`c${i}`),
      ]),
    )
    .executeTakeFirst();
}
