import { cellKeys } from '../../shared/geo-grid.js';
import type { Db } from '../../storage/database.js';
import { type AreaFilter, withinBox } from '../../storage/geo-filters.js';
import type {
  ReportCategoriesTable,
  ReportFollowersTable,
  ReportsTable,
  ReportUpdatesTable,
} from '../../storage/schema.js';
import type { ReportCategory, ReportUpdate, SubStatus } from './reports.types.js';

/** SQL for report categories, reports, their updates, followers, photos and Open311 tokens. */

const iso = (value: string) => new Date(value).toISOString();

export function toCategory(row: ReportCategoriesTable): ReportCategory {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    code: row.code,
    names: JSON.parse(row.names),
    descriptions: JSON.parse(row.descriptions),
    group: row.group_name,
    keywords: JSON.parse(row.keywords),
    attributes: JSON.parse(row.attributes),
    status: row.status,
    order: row.sort_order,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function insertCategory(db: Db, row: ReportCategoriesTable) {
  await db.insertInto('report_categories').values(row).execute();
}

export async function updateCategory(db: Db, id: string, changes: Partial<ReportCategoriesTable>) {
  await db.updateTable('report_categories').set(changes).where('id', '=', id).execute();
}

export async function listCategories(db: Db, municipalityId: string, includeArchived: boolean) {
  let query = db
    .selectFrom('report_categories')
    .selectAll()
    .where('municipality_id', '=', municipalityId);
  if (!includeArchived) query = query.where('status', '=', 'active');
  const rows = await query.orderBy('sort_order').orderBy('code').execute();
  return rows.map(toCategory);
}

export async function findCategoryByCode(db: Db, municipalityId: string, code: string) {
  const row = await db
    .selectFrom('report_categories')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && toCategory(row);
}

export async function findCategoriesByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, ReportCategory>();
  const rows = await db
    .selectFrom('report_categories')
    .selectAll()
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, toCategory(row)]));
}

export async function insertReport(db: Db, row: ReportsTable) {
  await db.insertInto('reports').values(row).execute();
}

export async function updateReport(db: Db, id: string, changes: Partial<ReportsTable>) {
  await db.updateTable('reports').set(changes).where('id', '=', id).execute();
}

export async function findReport(db: Db, id: string) {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReportsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('reports').selectAll().where('id', 'in', ids).execute();
}

export async function findReportByConfirmHash(db: Db, hash: string) {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('confirm_token_hash', '=', hash)
    .executeTakeFirst();
}

export interface ReportFilter {
  municipalityId?: string;
  /** Cell key ranges (from a bounding box or a circle). */
  cells?: { from: number; to: number }[];
  statuses?: readonly string[];
  subStatuses?: readonly string[];
  categoryIds?: readonly string[];
  assigneeId?: string | null;
  ids?: readonly string[];
  from?: string;
  to?: string;
  includeHidden?: boolean;
  /** Newest first; continue after this id. */
  before?: string;
  offset?: number;
  limit: number;
  order?: 'newest' | 'oldest';
}

/**
 * The id and point of the open reports in the covering cell ranges (the grid index), of one
 * municipality and of some categories when given, read from the index alone
 * (reports_nearby_points_index holds all that), to rank before reading rows. At most `limit`.
 */
export async function openReportPointsIn(
  db: Db,
  filter: {
    cells: readonly { from: number; to: number }[];
    municipalityId?: string;
    categoryIds?: readonly string[];
  },
  limit: number,
) {
  const ranges = filter.cells;
  if (ranges.length === 0 || filter.categoryIds?.length === 0) return [];
  const keys = cellKeys(ranges);
  let query = db
    .selectFrom('reports')
    .select(['id', 'latitude', 'longitude'])
    .where((eb) =>
      keys
        ? eb('cell', 'in', keys)
        : eb.or(ranges.map((r) => eb.and([eb('cell', '>=', r.from), eb('cell', '<=', r.to)]))),
    )
    .where('status', '=', 'open');
  if (filter.municipalityId) query = query.where('municipality_id', '=', filter.municipalityId);
  if (filter.categoryIds) query = query.where('category_id', 'in', [...filter.categoryIds]);
  return query.limit(limit).execute();
}

/** Reports matching the filter, newest first (or oldest first), at most `limit`. */
export async function listReports(db: Db, filter: ReportFilter) {
  const query = filteredReports(db, filter);
  return query ? query.selectAll().execute() : [];
}

/** What an Open311 request shows of a report (toRequest in open311.service.ts). */
export const OPEN311_COLUMNS = [
  'id',
  'category_id',
  'status',
  'sub_status',
  'description',
  'hidden',
  'address',
  'address_id',
  'latitude',
  'longitude',
  'media_url',
  'created_at',
  'updated_at',
] as const;

export type Open311Row = Pick<ReportsTable, (typeof OPEN311_COLUMNS)[number]>;

/**
 * listReports with only OPEN311_COLUMNS: an Open311 page holds up to 1,000 reports, and a row of
 * all 30 columns costs more to build than its read (docs/performance.md, "Open311 pages").
 */
export async function listOpen311Rows(db: Db, filter: ReportFilter): Promise<Open311Row[]> {
  const query = filteredReports(db, filter);
  return query ? query.select(OPEN311_COLUMNS).execute() : [];
}

/** The filter, order and limit of listReports; undefined when nothing can match. */
function filteredReports(db: Db, filter: ReportFilter) {
  let query = db.selectFrom('reports');
  if (filter.municipalityId) query = query.where('municipality_id', '=', filter.municipalityId);
  if (filter.cells) {
    const ranges = filter.cells;
    if (ranges.length === 0) return undefined;
    query = query.where((eb) =>
      eb.or(ranges.map((r) => eb.and([eb('cell', '>=', r.from), eb('cell', '<=', r.to)]))),
    );
  }
  if (filter.statuses) query = query.where('status', 'in', [...filter.statuses] as never);
  if (filter.subStatuses) query = query.where('sub_status', 'in', [...filter.subStatuses]);
  if (filter.categoryIds) {
    if (filter.categoryIds.length === 0) return undefined;
    query = query.where('category_id', 'in', [...filter.categoryIds]);
  }
  if (filter.assigneeId !== undefined) {
    query =
      filter.assigneeId === null
        ? query.where('assignee_id', 'is', null)
        : query.where('assignee_id', '=', filter.assigneeId);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return undefined;
    query = query.where('id', 'in', [...filter.ids]);
  }
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<=', filter.to);
  if (!filter.includeHidden) query = query.where('hidden', '=', 0);
  if (filter.before) query = query.where('id', '<', filter.before);
  query = query
    .orderBy('created_at', filter.order === 'oldest' ? 'asc' : 'desc')
    .orderBy('id', filter.order === 'oldest' ? 'asc' : 'desc');
  if (filter.offset) query = query.offset(filter.offset);
  return query.limit(filter.limit);
}

/** The reports a resident filed, newest first. */
export async function listReportsOfResident(db: Db, residentId: string, limit: number) {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('status', '!=', 'pending')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertUpdate(db: Db, row: ReportUpdatesTable) {
  await db.insertInto('report_updates').values(row).execute();
}

/** The public updates of these reports, oldest first, by report id. */
export async function updatesOf(db: Db, reportIds: readonly string[]) {
  const out = new Map<string, ReportUpdate[]>();
  if (reportIds.length === 0) return out;
  const rows = await db
    .selectFrom('report_updates')
    .selectAll()
    .where('report_id', 'in', [...reportIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = out.get(row.report_id) ?? [];
    list.push({
      status: row.status as ReportUpdate['status'],
      subStatus: row.sub_status as SubStatus,
      note: row.note,
      at: iso(row.created_at),
    });
    out.set(row.report_id, list);
  }
  return out;
}

/**
 * The note of each report's latest update (null when that update has none), by report id; a
 * report without updates is missing. Open311 pages show only this, for up to 1,000 reports: the
 * narrow rows are picked in one pass rather than sorted and turned into full updates.
 */
export async function latestUpdateNotes(db: Db, reportIds: readonly string[]) {
  const latest = new Map<string, { at: string; id: string; note: string | null }>();
  if (reportIds.length === 0) return new Map<string, string | null>();
  const rows = await db
    .selectFrom('report_updates')
    .select(['report_id', 'id', 'created_at', 'note'])
    .where('report_id', 'in', [...reportIds])
    .execute();
  for (const row of rows) {
    const at = new Date(row.created_at).toISOString();
    const seen = latest.get(row.report_id);
    if (!seen || at > seen.at || (at === seen.at && row.id > seen.id)) {
      latest.set(row.report_id, { at, id: row.id, note: row.note });
    }
  }
  return new Map([...latest].map(([reportId, update]) => [reportId, update.note]));
}

export async function insertFollower(db: Db, row: ReportFollowersTable) {
  await db.insertInto('report_followers').values(row).execute();
}

export async function findFollower(db: Db, reportId: string, residentId: string) {
  return db
    .selectFrom('report_followers')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
}

export async function deleteFollower(db: Db, id: string) {
  await db.deleteFrom('report_followers').where('id', '=', id).execute();
}

export async function followersOf(db: Db, reportId: string) {
  return db
    .selectFrom('report_followers')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/** How many follow each report, by report id. */
export async function followerCounts(db: Db, reportIds: readonly string[]) {
  const out = new Map<string, number>();
  if (reportIds.length === 0) return out;
  const rows = await db
    .selectFrom('report_followers')
    .select(['report_id', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('report_id', 'in', [...reportIds])
    .groupBy('report_id')
    .execute();
  for (const row of rows) out.set(row.report_id, Number(row.count));
  return out;
}

/** The reports a resident follows (not their own), newest first. */
export async function reportIdsFollowedBy(db: Db, residentId: string, limit: number) {
  const rows = await db
    .selectFrom('report_followers')
    .select('report_id')
    .where('resident_id', '=', residentId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.report_id);
}

export async function insertPhotos(
  db: Db,
  municipalityId: string,
  reportId: string,
  photoIds: readonly string[],
) {
  if (photoIds.length === 0) return;
  await db
    .insertInto('report_photos')
    .values(
      photoIds.map((photoId, position) => ({
        photo_id: photoId,
        report_id: reportId,
        municipality_id: municipalityId,
        position,
      })),
    )
    .execute();
}

export async function photosOf(db: Db, reportIds: readonly string[]) {
  const out = new Map<string, string[]>();
  if (reportIds.length === 0) return out;
  const rows = await db
    .selectFrom('report_photos')
    .select(['report_id', 'photo_id'])
    .where('report_id', 'in', [...reportIds])
    .orderBy('position')
    .execute();
  for (const row of rows) out.set(row.report_id, [...(out.get(row.report_id) ?? []), row.photo_id]);
  return out;
}

export async function photosInUse(db: Db, photoIds: readonly string[]) {
  if (photoIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('report_photos')
    .select('photo_id')
    .where('photo_id', 'in', [...photoIds])
    .execute();
  return new Set(rows.map((row) => row.photo_id));
}

export async function insertToken(
  db: Db,
  row: { token: string; municipality_id: string; report_id: string | null; created_at: string },
) {
  await db.insertInto('open311_tokens').values(row).execute();
}

export async function findToken(db: Db, token: string) {
  return db.selectFrom('open311_tokens').selectAll().where('token', '=', token).executeTakeFirst();
}

/** How many reports a visitor's address filed since `since` (confirmed or not). */
export async function countVisitorReportsSince(db: Db, email: string, since: string) {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('reporter_email', '=', email)
    .where('reporter_kind', '=', 'visitor')
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Deletes the reports still waiting for a confirmation whose link expired before `before`. */
export async function deleteUnconfirmedBefore(db: Db, before: string) {
  const result = await db
    .deleteFrom('reports')
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Public reports that became visible (confirmed) in `(after, until]` in a municipality or a
 * latitude/longitude box, oldest first (area alerts' digests); hidden and pending ones are left out.
 */
export async function listConfirmedBetween(
  db: Db,
  query: {
    where: AreaFilter;
    after: string;
    until: string;
    limit: number;
  },
) {
  let select = db
    .selectFrom('reports')
    .select(['id', 'municipality_id', 'category_id', 'latitude', 'longitude', 'confirmed_at'])
    .where('status', '!=', 'pending')
    .where('hidden', '=', 0)
    .where('confirmed_at', '>', query.after)
    .where('confirmed_at', '<=', query.until);
  select =
    'municipalityId' in query.where
      ? select.where('municipality_id', '=', query.where.municipalityId)
      : select.where(withinBox(query.where.box));
  return select.orderBy('confirmed_at').orderBy('id').limit(query.limit).execute();
}
