import { sql } from 'kysely';
import { listReports } from '../src/modules/reports/reports.repository.js';
import { w3cDate } from '../src/modules/reports/reports.rules.js';
import { publicViews } from '../src/modules/reports/reports.views.js';
import { monthBounds, monthOf, yearBounds } from '../src/shared/calendar.js';
import type { ServiceContext } from '../src/shared/context.js';
import type { Storage } from '../src/storage/database.js';

/**
 * Reads as they were before a fix, kept only so the region benchmark measures before and after
 * in the same run.
 *
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

/**
 * Open311's default `GET requests` page as it was read before its lean views
 * (`open311_requests_full_views`): every column of the last 90 days' reports (up to 1,000), then
 * the app's full public views (every update, followers, reporter names, attributes) turned into
 * requests — for the before/after in the same run.
 */
export async function open311WithFullViews(
  ctx: ServiceContext,
  municipalityId: string,
  now: Date,
): Promise<unknown> {
  const rows = await listReports(ctx.db, {
    municipalityId,
    statuses: ['open', 'closed'],
    from: new Date(now.getTime() - 90 * 86_400_000).toISOString(),
    to: now.toISOString(),
    includeHidden: true,
    limit: 1000,
  });
  const views = await publicViews(ctx, rows);
  return views.map((view, index) => {
    const last = view.updates.at(-1);
    const photo = view.photos[0];
    return {
      service_request_id: view.id,
      status: view.status === 'closed' ? 'closed' : 'open',
      status_notes: last?.note ? `${view.subStatus}: ${last.note}` : view.subStatus,
      service_name: view.category.names.nl,
      service_code: view.category.code,
      description: view.description ?? '',
      requested_datetime: w3cDate(view.createdAt),
      updated_datetime: w3cDate(view.updatedAt),
      address: view.address,
      address_id: rows[index]!.address_id,
      lat: view.latitude,
      long: view.longitude,
      media_url: view.mediaUrl ?? (photo ? `/api/reports/${view.id}/photos/${photo}` : null),
    };
  });
}
