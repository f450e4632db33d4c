import { sql } from 'kysely';
import { type BoundingBox, cellKeys } from '../../shared/geo-grid.js';
import type { Db } from '../../storage/database.js';
import { type AreaFilter, withinBox } from '../../storage/geo-filters.js';
import type { TaskClaimsTable, TasksTable } from '../../storage/schema.js';
import type { Task, TaskClaim, TaskProof, TaskTexts } from './tasks.types.js';

/** SQL for tasks and their claims. */

export function toTask(row: TasksTable): Task {
  const texts = JSON.parse(row.texts) as TaskTexts;
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    status: row.status,
    title: texts.title,
    description: texts.description,
    safetyNotes: texts.safetyNotes,
    materials: texts.materials,
    latitude: row.latitude,
    longitude: row.longitude,
    radiusMeters: row.radius_meters,
    area: row.area === null ? null : JSON.parse(row.area),
    extentMeters: row.extent_meters,
    bountyPoints: row.bounty_points,
    slots: row.slots,
    slotsTaken: row.slots_taken,
    slotsLeft: row.slots - row.slots_taken,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    holdHours: row.hold_hours,
    estimatedMinutes: row.estimated_minutes,
    proofRequired: {
      beforePhoto: row.proof_before_photo === 1,
      afterPhoto: row.proof_after_photo === 1,
      location: row.proof_location === 1,
    },
    volunteerSuitable: true,
    sourceReportId: row.source_report_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

export function toTaskClaim(row: TaskClaimsTable): TaskClaim {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    taskId: row.task_id,
    residentId: row.resident_id,
    slotNumber: row.slot_number,
    status: row.status,
    claimedAt: row.claimed_at,
    expiresAt: row.expires_at,
    releasedAt: row.released_at,
    completedAt: row.completed_at,
    proof: row.proof === null ? null : (JSON.parse(row.proof) as TaskProof),
    outcome: row.outcome,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    transferId: row.transfer_id,
    updatedAt: row.updated_at,
  };
}

// Tasks

export async function insertTask(db: Db, row: TasksTable) {
  await db.insertInto('tasks').values(row).execute();
}

export async function updateTask(db: Db, id: string, changes: Partial<TasksTable>) {
  await db.updateTable('tasks').set(changes).where('id', '=', id).execute();
}

/** Moves a task from one status to another; false when it was no longer in `from`. */
export async function transitionTask(
  db: Db,
  id: string,
  from: readonly TasksTable['status'][],
  changes: Partial<TasksTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findTask(db: Db, id: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTasksOf(db: Db, municipalityId: string, status?: TasksTable['status']) {
  let query = db
    .selectFrom('tasks')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('created_at', 'desc')
    .limit(1000);
  if (status) query = query.where('status', '=', status);
  return query.execute();
}

export interface NearbyFilters {
  /** Only tasks whose window has not ended by then. */
  now: string;
  municipalityId?: string;
  minBounty?: number;
  maxMinutes?: number;
  /** Only tasks whose window overlaps this interval. */
  from?: string;
  to?: string;
  /** Only those within this box (a bbox search, or the box around a circle). */
  box?: BoundingBox;
}

/**
 * Open tasks in the covering cell ranges (the grid index), with the filters; the caller keeps
 * those within the radius. With `ranges` null: every open task (the full-scan baseline).
 */
export async function openTasksIn(
  db: Db,
  ranges: readonly { from: number; to: number }[] | null,
  filters: NearbyFilters,
  limit: number,
) {
  if (ranges?.length === 0) return [];
  return openTasksWhere(db, ranges, filters).selectAll().limit(limit).execute();
}

/**
 * The id and point of the open tasks `openTasksIn` would return: without filters but the
 * municipality, read from the grid index alone (tasks_nearby_points_index holds them), to rank before reading rows.
 */
export async function openTaskPointsIn(
  db: Db,
  ranges: readonly { from: number; to: number }[] | null,
  filters: NearbyFilters,
  limit: number,
) {
  if (ranges?.length === 0) return [];
  return openTasksWhere(db, ranges, filters)
    .select(['id', 'latitude', 'longitude'])
    .limit(limit)
    .execute();
}

function openTasksWhere(
  db: Db,
  ranges: readonly { from: number; to: number }[] | null,
  filters: NearbyFilters,
) {
  let query = db
    .selectFrom('tasks')
    .where('status', '=', 'open')
    .where('window_end', '>', filters.now);
  const keys = ranges && cellKeys(ranges);
  if (keys) query = query.where('cell', 'in', keys);
  else if (ranges) {
    query = query.where((eb) => eb.or(ranges.map((r) => eb.between('cell', r.from, r.to))));
  }
  if (filters.box) {
    const { south, west, north, east } = filters.box;
    query = query
      .where('latitude', '>=', south)
      .where('latitude', '<=', north)
      .where('longitude', '>=', west)
      .where('longitude', '<=', east);
  }
  if (filters.municipalityId) query = query.where('municipality_id', '=', filters.municipalityId);
  if (filters.minBounty !== undefined)
    query = query.where('bounty_points', '>=', filters.minBounty);
  if (filters.maxMinutes !== undefined) {
    query = query.where('estimated_minutes', '<=', filters.maxMinutes);
  }
  if (filters.from) query = query.where('window_end', '>=', filters.from);
  if (filters.to) query = query.where('window_start', '<=', filters.to);
  return query;
}

/**
 * Takes one slot of an open task: a conditional update that cannot take more than there are
 * (PostgreSQL re-checks the condition on the row it locks; SQLite has one writer). True when
 * this call took one.
 */
export async function takeSlot(db: Db, taskId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ slots_taken: sql`slots_taken + 1`, updated_at: now })
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .where('slots_taken', '<', sql<number>`slots`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a slot back (a release, a lapse, a rejection, a cancellation). */
export async function returnSlot(db: Db, taskId: string, now: string) {
  await db
    .updateTable('tasks')
    .set({ slots_taken: sql`slots_taken - 1`, updated_at: now })
    .where('id', '=', taskId)
    .where('slots_taken', '>', 0)
    .execute();
}

// Claims

export async function insertClaim(db: Db, row: TaskClaimsTable) {
  await db.insertInto('task_claims').values(row).execute();
}

export async function findClaim(db: Db, id: string) {
  return db.selectFrom('task_claims').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The slot numbers the task's held claims use. */
export async function heldSlotNumbers(db: Db, taskId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('task_claims')
    .select('slot_number')
    .where('task_id', '=', taskId)
    .where('status', 'in', ['claimed', 'completed'])
    .execute();
  return rows.map((r) => r.slot_number);
}

/** The resident's claim on the task that holds a slot (claimed or completed), if any. */
export async function findHeldClaim(db: Db, taskId: string, residentId: string) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('task_id', '=', taskId)
    .where('resident_id', '=', residentId)
    .where('status', 'in', ['claimed', 'completed'])
    .executeTakeFirst();
}

/** The resident's latest claim on the task, whatever its state. */
export async function findLatestClaim(db: Db, taskId: string, residentId: string) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('task_id', '=', taskId)
    .where('resident_id', '=', residentId)
    .orderBy('claimed_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Moves a claim from `from` with the changes; false when it had moved on already. */
export async function transitionClaim(
  db: Db,
  id: string,
  from: TaskClaimsTable['status'],
  changes: Partial<TaskClaimsTable>,
  outcome?: TaskClaimsTable['outcome'],
): Promise<boolean> {
  let query = db
    .updateTable('task_claims')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from);
  if (outcome !== undefined) query = query.where('outcome', '=', outcome);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listClaimsOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('claimed_at')
    .orderBy('id')
    .execute();
}

export async function listClaimsOfResident(db: Db, residentId: string) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('claimed_at', 'desc')
    .limit(200)
    .execute();
}

/** Held claims of the task still waiting (claimed), for a cancellation. */
export async function listOpenClaimsOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('task_id', '=', taskId)
    .where('status', '=', 'claimed')
    .execute();
}

/** Claimed slots whose hold has run out by `now`, oldest first. */
export async function listLapsedClaims(db: Db, now: string, limit: number) {
  return db
    .selectFrom('task_claims')
    .selectAll()
    .where('status', '=', 'claimed')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

export async function findTasksByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tasks').selectAll().where('id', 'in', ids).execute();
}

/**
 * Open tasks published in `(after, until]` in a municipality or a latitude/longitude box, oldest
 * first (area alerts' digests).
 */
export async function listPublishedBetween(
  db: Db,
  query: {
    where: AreaFilter;
    after: string;
    until: string;
    limit: number;
  },
) {
  let select = db
    .selectFrom('tasks')
    .selectAll()
    .where('status', '=', 'open')
    .where('published_at', '>', query.after)
    .where('published_at', '<=', query.until);
  select =
    'municipalityId' in query.where
      ? select.where('municipality_id', '=', query.where.municipalityId)
      : select.where(withinBox(query.where.box));
  const rows = await select.orderBy('published_at').orderBy('id').limit(query.limit).execute();
  return rows.map(toTask);
}
