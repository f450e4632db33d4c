import { type ServiceContext, withDb } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { isValidCoordinate } from '../../shared/geo.js';
import { boxAround, cellCount, cellRanges, nearestWithin } from '../../shared/geo-grid.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inGroupedTransaction } from '../../storage/grouped-transaction.js';
import type { TaskClaimsTable, TasksTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { attachTaskProofPhotos, photoFactsFor } from '../claims/photos.service.js';
import { findEarner } from '../identity/earners.service.js';
import * as ledger from '../ledger/ledger.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { advanceReportForTask, checkReportForTask } from '../reports/inbox.service.js';
import { findMunicipalityById, getMunicipality } from '../tenancy/tenancy.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import { taskClaimCalendar } from './tasks.ics.js';
import * as repo from './tasks.repository.js';
import {
  assessCompletion,
  bountyTransferId,
  freeSlotNumber,
  holdExpiry,
  placeOf,
  validateTaskInput,
} from './tasks.rules.js';
import type { Task, TaskClaim, TaskInput, TaskProof } from './tasks.types.js';

/**
 * Tasks: staff post small public jobs with a bounty; residents find them near a point, claim a
 * slot (held for the task's hold hours, then it lapses), and complete it with proof. The checks
 * approve a completion at once or send it to a reviewer; an approved completion is paid from the
 * municipality's issuance account to the resident's wallet by one ledger transfer whose id is
 * derived from the claim, so it is paid at most once whoever asks how often.
 */

// Staff: the task manager

/** Creates a task as a draft. Outcomes: the task; `invalid_input` (incl. the suitability statement). */
export async function createTask(
  ctx: ServiceContext,
  municipalityId: string,
  input: TaskInput,
): Promise<Task> {
  authorize(ctx, 'tasks.manage', municipalityId);
  checkInput(input);
  if (input.sourceReportId) await checkReportForTask(ctx, municipalityId, input.sourceReportId);
  const now = ctx.clock.now().toISOString();
  const row: TasksTable = {
    id: newId('tsk', ctx.clock.now()),
    municipality_id: municipalityId,
    status: 'draft',
    ...taskColumns(input),
    slots_taken: 0,
    source_report_id: input.sourceReportId ?? null,
    created_by: actorId(ctx),
    created_at: now,
    updated_at: now,
    published_at: null,
  };
  return inTransaction(ctx.db, async (db) => {
    await repo.insertTask(db, row);
    const task = repo.toTask(row);
    await recordAudit(withDb(ctx, db), {
      municipalityId,
      action: 'task.created',
      subjectType: 'task',
      subjectId: task.id,
      after: task,
    });
    return task;
  });
}

/**
 * Changes a draft or open task. An open task keeps at least the slots already taken. Outcomes:
 * the task; `invalid_input`; `task_not_found`; `task_not_editable` (closed, cancelled);
 * `task_slots_taken` (fewer slots than claimed).
 */
export async function updateTask(
  ctx: ServiceContext,
  municipalityId: string,
  taskId: string,
  input: TaskInput,
): Promise<Task> {
  authorize(ctx, 'tasks.manage', municipalityId);
  checkInput(input);
  return inTransaction(ctx.db, async (db) => {
    const before = await staffTask(db, municipalityId, taskId);
    if (before.status !== 'draft' && before.status !== 'open') {
      throw new DomainError(
        'task_not_editable',
        'conflict',
        'A closed or cancelled task cannot change.',
        {
          details: { status: before.status },
        },
      );
    }
    if (input.slots < before.slots_taken) {
      throw new DomainError('task_slots_taken', 'conflict', 'More slots are taken than that.', {
        details: { slotsTaken: before.slots_taken },
      });
    }
    const changes = {
      ...taskColumns(input),
      source_report_id: input.sourceReportId ?? before.source_report_id,
      updated_at: ctx.clock.now().toISOString(),
    };
    await repo.updateTask(db, taskId, changes);
    const after = repo.toTask({ ...before, ...changes });
    await recordAudit(withDb(ctx, db), {
      municipalityId,
      action: 'task.updated',
      subjectType: 'task',
      subjectId: taskId,
      before: repo.toTask(before),
      after,
    });
    return after;
  });
}

const TRANSITIONS = {
  publish: { from: ['draft'], to: 'open', action: 'task.published' },
  close: { from: ['open'], to: 'closed', action: 'task.closed' },
  cancel: { from: ['draft', 'open'], to: 'cancelled', action: 'task.cancelled' },
} as const;

/**
 * Publishes a draft (residents can find and claim it), closes an open task (no new claims;
 * claims made can still be completed) or cancels one (claims waiting are released). Outcomes:
 * the task; `task_not_found`; `task_status_conflict`.
 */
export async function changeTaskStatus(
  ctx: ServiceContext,
  municipalityId: string,
  taskId: string,
  change: keyof typeof TRANSITIONS,
  links?: ReportLinks,
): Promise<Task> {
  authorize(ctx, 'tasks.manage', municipalityId);
  const rule = TRANSITIONS[change];
  const changed = await inTransaction(ctx.db, async (db) => {
    const before = await staffTask(db, municipalityId, taskId);
    const now = ctx.clock.now().toISOString();
    const changes: Partial<TasksTable> = {
      status: rule.to,
      updated_at: now,
      ...(change === 'publish' && { published_at: now }),
    };
    if (!(await repo.transitionTask(db, taskId, rule.from, changes))) {
      throw new DomainError(
        'task_status_conflict',
        'conflict',
        `A ${before.status} task cannot be ${rule.to === 'open' ? 'published' : rule.to}.`,
        { details: { status: before.status } },
      );
    }
    if (change === 'cancel') {
      for (const claim of await repo.listOpenClaimsOfTask(db, taskId)) {
        if (
          await repo.transitionClaim(db, claim.id, 'claimed', {
            status: 'released',
            released_at: now,
            updated_at: now,
          })
        ) {
          await repo.returnSlot(db, taskId, now);
        }
      }
    }
    const after = repo.toTask((await repo.findTask(db, taskId))!);
    if (change === 'publish') {
      await emitEvent(withDb(ctx, db), {
        type: 'task.published',
        municipalityId,
        data: {
          taskId,
          status: after.status,
          bountyPoints: after.bountyPoints,
          slots: after.slots,
          latitude: after.latitude,
          longitude: after.longitude,
          windowStart: after.windowStart,
          windowEnd: after.windowEnd,
          sourceReportId: after.sourceReportId,
          publishedAt: now,
        },
      });
    }
    await recordAudit(withDb(ctx, db), {
      municipalityId,
      action: rule.action,
      subjectType: 'task',
      subjectId: taskId,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
  if (change === 'publish') await advanceSourceReport(ctx, changed, 'in_progress', links);
  return changed;
}

type ReportLinks = { publicUrl: string };

/**
 * Moves the report a task was made from on (published → in progress, approved → fixed), so its
 * reporter and followers hear of it. Needs the public URL for the emails' links; without it
 * (the demo seed, scripts) the report is left as it is.
 */
async function advanceSourceReport(
  ctx: ServiceContext,
  task: Pick<Task, 'municipalityId' | 'sourceReportId'>,
  subStatus: 'in_progress' | 'fixed',
  links: ReportLinks | undefined,
) {
  if (!task.sourceReportId || !links) return;
  await advanceReportForTask(
    ctx,
    { municipalityId: task.municipalityId, reportId: task.sourceReportId, subStatus },
    links,
  );
}

/** The municipality's tasks, newest first (optionally of one status). */
export async function listTasks(
  ctx: ServiceContext,
  municipalityId: string,
  status?: Task['status'],
): Promise<Task[]> {
  authorize(ctx, 'tasks.manage', municipalityId);
  return (await repo.listTasksOf(ctx.db, municipalityId, status)).map(repo.toTask);
}

/** One task of the municipality with every claim on it. Outcomes: `task_not_found`. */
export async function getTaskWithClaims(
  ctx: ServiceContext,
  municipalityId: string,
  taskId: string,
): Promise<{ task: Task; claims: TaskClaim[] }> {
  authorize(ctx, 'tasks.manage', municipalityId);
  const row = await staffTask(ctx.db, municipalityId, taskId);
  const claims = await repo.listClaimsOfTask(ctx.db, taskId);
  return { task: repo.toTask(row), claims: claims.map(repo.toTaskClaim) };
}

/**
 * A reviewer's decision on a completion waiting for review: approve pays the bounty (once),
 * reject gives the slot back; the resident is emailed either way. Outcomes: the claim; `task_claim_not_found`;
 * `task_claim_not_in_review`.
 */
export async function decideCompletion(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
  decision: { decision: 'approve' | 'reject'; note?: string | null },
  links?: ReportLinks,
): Promise<TaskClaim> {
  authorize(ctx, 'tasks.review', municipalityId);
  const found = await repo.findClaim(ctx.db, claimId);
  if (!found || found.municipality_id !== municipalityId) throw claimNotFound();
  const task = (await repo.findTask(ctx.db, found.task_id))!;
  const accounts = await accountsFor(ctx, municipalityId, found.resident_id);
  const decided = await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const now = ctx.clock.now().toISOString();
    const note = decision.note ?? null;
    const common = {
      decided_at: now,
      decided_by: actorId(ctx),
      decision_note: note,
      updated_at: now,
    };
    const approve = decision.decision === 'approve';
    const changes: Partial<TaskClaimsTable> = approve
      ? { ...common, outcome: 'approved', transfer_id: bountyTransferId(claimId) }
      : { ...common, status: 'rejected', outcome: 'rejected' };
    if (!(await repo.transitionClaim(db, claimId, 'completed', changes, 'review'))) {
      const current = (await repo.findClaim(db, claimId))!;
      throw new DomainError(
        'task_claim_not_in_review',
        'conflict',
        'This completion is not waiting for review.',
        { details: { status: current.status, outcome: current.outcome } },
      );
    }
    if (approve) await payBounty(tx, task, found, accounts);
    else await repo.returnSlot(db, task.id, now);
    await recordAudit(tx, {
      municipalityId,
      action: approve ? 'task_claim.approved' : 'task_claim.rejected',
      subjectType: 'task_claim',
      subjectId: claimId,
      before: { status: found.status, outcome: found.outcome },
      after: { status: approve ? 'completed' : 'rejected', outcome: changes.outcome, note },
    });
    return repo.toTaskClaim((await repo.findClaim(db, claimId))!);
  });
  await tellResident(ctx, repo.toTask(task), decided);
  if (decided.outcome === 'approved') {
    await advanceSourceReport(ctx, repo.toTask(task), 'fixed', links);
  }
  return decided;
}

const NO_NOTE: Record<Locale, string> = {
  nl: 'De foto’s of de plaats toonden niet dat de taak gedaan is.',
  fr: 'Les photos ou le lieu ne montraient pas que la tâche a été faite.',
  de: 'Die Fotos oder der Ort zeigten nicht, dass die Aufgabe erledigt ist.',
  en: 'The photos or the place did not show that the task was done.',
};

/** Emails the resident (in their language) a reviewer's decision on their completion. */
async function tellResident(ctx: ServiceContext, task: Task, claim: TaskClaim) {
  const earner = await findEarner(ctx, claim.municipalityId, { residentId: claim.residentId });
  const email = earner?.resident.email;
  if (!earner || !email) return;
  const locale = earner.resident.preferredLocale;
  const common = { to: email, locale, municipalityId: claim.municipalityId };
  if (claim.outcome === 'approved') {
    await sendEmail(ctx, {
      ...common,
      template: 'task_approved',
      params: { task: task.title[locale], points: String(task.bountyPoints) },
    });
  } else {
    await sendEmail(ctx, {
      ...common,
      template: 'task_rejected',
      params: { task: task.title[locale], note: claim.decisionNote ?? NO_NOTE[locale] },
    });
  }
}

// Residents and the public

export interface NearbyQuery {
  latitude?: number;
  longitude?: number;
  radiusMeters?: number;
  bbox?: { south: number; west: number; north: number; east: number };
  municipalitySlug?: string;
  minBounty?: number;
  maxMinutes?: number;
  /** A calendar date (YYYY-MM-DD): tasks whose window overlaps that day (UTC). */
  date?: string;
  limit?: number;
}

export const DEFAULT_NEARBY_RADIUS = 2_000;
export const MAX_NEARBY_RADIUS = 50_000;
export const MAX_NEARBY_RESULTS = 200;
/** A bbox search covers at most this many grid cells (≈ 0.5° × 0.5°). */
export const MAX_BBOX_CELLS = 2_500;

export type NearbyTask = Task & { distanceMeters: number | null; municipalitySlug: string };

/**
 * Open tasks near a point (within the radius, nearest first) or within a box (nearest the box's
 * center first), through the grid index. Outcomes: the tasks; `invalid_input` (no place, both,
 * out of range, a box too large); `municipality_not_found`.
 */
export async function nearbyTasks(ctx: ServiceContext, query: NearbyQuery): Promise<NearbyTask[]> {
  const errors: FieldError[] = [];
  const hasPoint = query.latitude !== undefined || query.longitude !== undefined;
  if (hasPoint === (query.bbox !== undefined)) {
    errors.push({
      field: '/lat',
      code: 'place',
      message: 'Send lat and lon (and radius), or bbox.',
    });
  }
  if (hasPoint && !isValidCoordinate(query.latitude, query.longitude)) {
    errors.push({
      field: '/lat',
      code: 'coordinate',
      message: 'lat must be in [-90, 90] and lon in [-180, 180].',
    });
  }
  const radius = query.radiusMeters ?? DEFAULT_NEARBY_RADIUS;
  if (!(radius >= 1 && radius <= MAX_NEARBY_RADIUS)) {
    errors.push({
      field: '/radius',
      code: 'range',
      message: `radius is 1 to ${MAX_NEARBY_RADIUS} m.`,
    });
  }
  let from: string | undefined;
  let to: string | undefined;
  if (query.date !== undefined) {
    const day = Date.parse(`${query.date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(query.date) || Number.isNaN(day)) {
      errors.push({ field: '/date', code: 'date', message: 'date is YYYY-MM-DD.' });
    } else {
      from = new Date(day).toISOString();
      to = new Date(day + 86_400_000 - 1).toISOString();
    }
  }
  const box =
    query.bbox ??
    (errors.length === 0
      ? boxAround({ latitude: query.latitude!, longitude: query.longitude! }, radius)
      : undefined);
  if (query.bbox && errors.length === 0) errors.push(...checkBox(query.bbox));
  if (errors.length > 0) throw invalidInput(errors);
  const municipalityId = query.municipalitySlug
    ? (await getMunicipality(ctx, query.municipalitySlug)).id
    : undefined;
  const limit = Math.min(query.limit ?? 50, MAX_NEARBY_RESULTS);
  const center = query.bbox
    ? {
        latitude: (query.bbox.south + query.bbox.north) / 2,
        longitude: (query.bbox.west + query.bbox.east) / 2,
      }
    : { latitude: query.latitude!, longitude: query.longitude! };
  // Ranked from the grid index alone (ids and points), then only the returned rows are read.
  const points = await repo.openTaskPointsIn(
    ctx.db,
    cellRanges(box!),
    {
      now: ctx.clock.now().toISOString(),
      ...(municipalityId && { municipalityId }),
      ...(query.minBounty !== undefined && { minBounty: query.minBounty }),
      ...(query.maxMinutes !== undefined && { maxMinutes: query.maxMinutes }),
      ...(from && { from, to }),
      ...(query.bbox && { box: query.bbox }),
    },
    // Enough candidates to rank: the nearest `limit` are among them unless the cells are crowded.
    10_000,
  );
  const nearest = nearestWithin(
    center,
    query.bbox ? Number.POSITIVE_INFINITY : radius,
    points,
    limit,
  );
  const rows = new Map(
    (
      await repo.findTasksByIds(
        ctx.db,
        nearest.map((p) => p.id),
      )
    ).map((row) => [row.id, row]),
  );
  // A task closed between the two reads is left out.
  const ranked = nearest.flatMap((p) => {
    const row = rows.get(p.id);
    return row && row.status === 'open'
      ? [{ ...repo.toTask(row), id: row.id, distanceMeters: p.distanceMeters }]
      : [];
  });
  const slugs = await slugsOf(ctx, ranked);
  return ranked.map((task) => ({
    ...task,
    distanceMeters: Math.round(task.distanceMeters),
    municipalitySlug: slugs.get(task.municipalityId) ?? '',
  }));
}

function checkBox(box: { south: number; west: number; north: number; east: number }): FieldError[] {
  const fail = (message: string) => [{ field: '/bbox', code: 'bbox', message }];
  if (!isValidCoordinate(box.south, box.west) || !isValidCoordinate(box.north, box.east)) {
    return fail('bbox is minLon,minLat,maxLon,maxLat in degrees.');
  }
  if (box.south > box.north || box.west > box.east) {
    return fail('bbox is minLon,minLat,maxLon,maxLat: the minimum first.');
  }
  if (cellCount(box) > MAX_BBOX_CELLS) return fail('That box is too large: zoom in.');
  return [];
}

/** One task as the public sees it (drafts are not shown), with the resident's own claim on it. */
export async function getTask(
  ctx: ServiceContext,
  taskId: string,
): Promise<Task & { municipalitySlug: string; myClaim: TaskClaim | null }> {
  const row = await repo.findTask(ctx.db, taskId);
  if (!row || row.status === 'draft') throw taskNotFound();
  const myClaim =
    ctx.actor.kind === 'resident'
      ? await repo.findLatestClaim(ctx.db, taskId, ctx.actor.residentId)
      : undefined;
  const slugs = await slugsOf(
    ctx,
    [row].map((r) => ({ municipalityId: r.municipality_id })),
  );
  return {
    ...repo.toTask(row),
    municipalitySlug: slugs.get(row.municipality_id) ?? '',
    myClaim: myClaim ? repo.toTaskClaim(myClaim) : null,
  };
}

/**
 * Claims a slot of an open task in the resident's municipality, held for the task's hold hours.
 * Outcomes: the claim; `task_not_found`; `task_not_open` (draft, closed, cancelled, its window
 * over); `task_already_claimed` (the resident holds a slot of it); `task_full` (no slot left).
 */
export async function claimTask(ctx: ServiceContext, taskId: string): Promise<TaskClaim> {
  const { residentId, municipalityId } = residentOf(ctx);
  const task = await residentTask(ctx, municipalityId, taskId);
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  if (task.status !== 'open' || task.window_end <= now) throw taskNotOpen(task, now);
  if (await repo.findHeldClaim(ctx.db, taskId, residentId)) throw alreadyClaimed();
  try {
    return await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
      if (!(await repo.takeSlot(db, taskId, now))) {
        const current = (await repo.findTask(db, taskId))!;
        if (current.status !== 'open') throw taskNotOpen(current, now);
        throw new DomainError('task_full', 'conflict', 'Every slot of this task is taken.', {
          details: { slots: current.slots },
        });
      }
      // The task's row is locked (PostgreSQL) or the writer is ours (SQLite) until commit.
      if (await repo.findHeldClaim(db, taskId, residentId)) throw alreadyClaimed();
      const slot = freeSlotNumber(await repo.heldSlotNumbers(db, taskId), task.slots);
      if (slot === null) throw new Error(`task ${taskId}: a slot was taken but none is free`);
      const row: TaskClaimsTable = {
        id: newId('tcl', nowDate),
        municipality_id: municipalityId,
        task_id: taskId,
        resident_id: residentId,
        slot_number: slot,
        status: 'claimed',
        claimed_at: now,
        expires_at: holdExpiry(nowDate, task.hold_hours).toISOString(),
        released_at: null,
        completed_at: null,
        proof: null,
        outcome: null,
        decided_at: null,
        decided_by: null,
        decision_note: null,
        transfer_id: null,
        updated_at: now,
      };
      await repo.insertClaim(db, row);
      return repo.toTaskClaim(row);
    });
  } catch (error) {
    // The partial unique indexes are the last word when two claims of one resident race.
    if (isUniqueViolation(error)) throw alreadyClaimed();
    throw error;
  }
}

/** Gives the resident's claimed slot back. Outcomes: the claim; `task_not_found`; `task_claim_not_found`. */
export async function releaseTask(ctx: ServiceContext, taskId: string): Promise<TaskClaim> {
  const { residentId, municipalityId } = residentOf(ctx);
  await residentTask(ctx, municipalityId, taskId);
  return inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
    const claim = await repo.findHeldClaim(db, taskId, residentId);
    if (claim?.status !== 'claimed') throw claimNotFound();
    const now = ctx.clock.now().toISOString();
    if (
      !(await repo.transitionClaim(db, claim.id, 'claimed', {
        status: 'released',
        released_at: now,
        updated_at: now,
      }))
    ) {
      throw claimNotFound();
    }
    await repo.returnSlot(db, taskId, now);
    return repo.toTaskClaim((await repo.findClaim(db, claim.id))!);
  });
}

export interface CompletionInput {
  beforePhotoIds?: string[];
  afterPhotoIds?: string[];
  latitude?: number;
  longitude?: number;
}

/**
 * Completes the resident's claimed slot with proof. The checks (inside the place and the window,
 * photos not used before) approve it — the bounty is paid — or send it to review. Sent again (at
 * once or later) it answers the first completion and pays nothing more. Outcomes: `{claim,
 * created}`; `invalid_input` (missing proof, unknown or used photos); `task_not_found`;
 * `task_claim_not_found` (no claimed slot); `task_claim_lapsed`; `task_not_started`.
 */
export async function completeTask(
  ctx: ServiceContext,
  taskId: string,
  input: CompletionInput,
  links?: ReportLinks,
): Promise<{ claim: TaskClaim; created: boolean }> {
  const { residentId, municipalityId } = residentOf(ctx);
  const task = await residentTask(ctx, municipalityId, taskId);
  const claim = await repo.findHeldClaim(ctx.db, taskId, residentId);
  if (!claim) throw claimNotFound();
  if (claim.status === 'completed') return { claim: repo.toTaskClaim(claim), created: false };
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  if (claim.expires_at <= now) {
    throw new DomainError('task_claim_lapsed', 'conflict', 'Your hold on this slot ran out.', {
      details: { expiresAt: claim.expires_at },
    });
  }
  if (now < task.window_start) {
    throw new DomainError('task_not_started', 'conflict', 'This task has not started yet.', {
      details: { windowStart: task.window_start },
    });
  }
  const before = input.beforePhotoIds ?? [];
  const after = input.afterPhotoIds ?? [];
  const errors: FieldError[] = [];
  if (task.proof_before_photo === 1 && before.length === 0) {
    errors.push({
      field: '/beforePhotoIds',
      code: 'required',
      message: 'Add a photo from before.',
    });
  }
  if (task.proof_after_photo === 1 && after.length === 0) {
    errors.push({ field: '/afterPhotoIds', code: 'required', message: 'Add a photo from after.' });
  }
  const hasLocation = input.latitude !== undefined || input.longitude !== undefined;
  if (hasLocation && !isValidCoordinate(input.latitude, input.longitude)) {
    errors.push({ field: '/latitude', code: 'coordinate', message: 'Send a valid location.' });
  } else if (task.proof_location === 1 && !hasLocation) {
    errors.push({ field: '/latitude', code: 'required', message: 'Send where you are.' });
  }
  if (new Set([...before, ...after]).size !== before.length + after.length) {
    errors.push({ field: '/afterPhotoIds', code: 'duplicate', message: 'Send each photo once.' });
  }
  const beforeFacts = await photoFactsFor(
    ctx,
    municipalityId,
    residentId,
    before,
    '/beforePhotoIds',
  );
  const afterFacts = await photoFactsFor(ctx, municipalityId, residentId, after, '/afterPhotoIds');
  errors.push(...beforeFacts.errors, ...afterFacts.errors);
  if (errors.length > 0) throw invalidInput(errors);
  const location = hasLocation ? { latitude: input.latitude!, longitude: input.longitude! } : null;
  const { outcome, flags } = assessCompletion({
    task: {
      latitude: task.latitude,
      longitude: task.longitude,
      radiusMeters: task.radius_meters,
      area: task.area === null ? null : JSON.parse(task.area),
      windowStart: task.window_start,
      windowEnd: task.window_end,
    },
    now,
    location,
    photos: [...beforeFacts.facts, ...afterFacts.facts],
  });
  const proof: TaskProof = {
    beforePhotoIds: before,
    afterPhotoIds: after,
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    flags,
  };
  const accounts = await accountsFor(ctx, municipalityId, residentId);
  const result = await inGroupedTransaction(ctx.storage, ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const moved = await repo.transitionClaim(db, claim.id, 'claimed', {
      status: 'completed',
      completed_at: now,
      proof: JSON.stringify(proof),
      outcome,
      ...(outcome === 'approved' && {
        decided_at: now,
        decided_by: 'checks',
        transfer_id: bountyTransferId(claim.id),
      }),
      updated_at: now,
    });
    if (!moved) {
      // Another request completed (or released) it first: answer what happened.
      const current = (await repo.findClaim(db, claim.id))!;
      if (current.status === 'completed')
        return { claim: repo.toTaskClaim(current), created: false };
      throw claimNotFound();
    }
    if (!(await attachTaskProofPhotos(tx, claim.id, [...before, ...after]))) {
      throw invalidInput([
        { field: '/afterPhotoIds', code: 'photo_used', message: 'A photo was used meanwhile.' },
      ]);
    }
    if (outcome === 'approved') await payBounty(tx, task, claim, accounts);
    return { claim: repo.toTaskClaim((await repo.findClaim(db, claim.id))!), created: true };
  });
  if (result.created && result.claim.outcome === 'approved') {
    await advanceSourceReport(ctx, repo.toTask(task), 'fixed', links);
  }
  return result;
}

/** The resident's claims, newest first, each with its task. */
export async function listMyTasks(ctx: ServiceContext): Promise<(TaskClaim & { task: Task })[]> {
  const { residentId } = residentOf(ctx);
  const claims = await repo.listClaimsOfResident(ctx.db, residentId);
  const tasks = new Map(
    (await repo.findTasksByIds(ctx.db, [...new Set(claims.map((c) => c.task_id))])).map((t) => [
      t.id,
      repo.toTask(t),
    ]),
  );
  return claims.map((c) => ({ ...repo.toTaskClaim(c), task: tasks.get(c.task_id)! }));
}

/** The resident's held claim on a task with the task (for the calendar). Outcomes: `task_claim_not_found`. */
export async function myHeldClaim(
  ctx: ServiceContext,
  taskId: string,
): Promise<{ task: Task; claim: TaskClaim }> {
  const { residentId, municipalityId } = residentOf(ctx);
  const task = await residentTask(ctx, municipalityId, taskId);
  const claim = await repo.findHeldClaim(ctx.db, taskId, residentId);
  if (!claim) throw claimNotFound();
  return { task: repo.toTask(task), claim: repo.toTaskClaim(claim) };
}

/**
 * The resident's held slot as an iCalendar file in their language. Outcomes: the file's text;
 * `task_not_found`; `task_claim_not_found`.
 */
export async function claimCalendar(
  ctx: ServiceContext,
  taskId: string,
  url?: string,
): Promise<string> {
  const { task, claim } = await myHeldClaim(ctx, taskId);
  const earner = await findEarner(ctx, claim.municipalityId, { residentId: claim.residentId });
  return taskClaimCalendar({
    task,
    claim,
    locale: earner?.resident.preferredLocale ?? ctx.locale,
    now: ctx.clock.now().toISOString(),
    ...(url && { url }),
  });
}

/** Open tasks in a box for the public map feed (no personal data), with their municipality's slug. */
export async function openTasksInBox(
  ctx: ServiceContext,
  bbox: { south: number; west: number; north: number; east: number },
  municipalitySlug?: string,
): Promise<(Task & { municipalitySlug: string })[]> {
  const errors = checkBox(bbox);
  if (errors.length > 0) throw invalidInput(errors);
  const municipalityId = municipalitySlug
    ? (await getMunicipality(ctx, municipalitySlug)).id
    : undefined;
  const rows = await repo.openTasksIn(
    ctx.db,
    cellRanges(bbox),
    { now: ctx.clock.now().toISOString(), box: bbox, ...(municipalityId && { municipalityId }) },
    5_000,
  );
  const slugs = await slugsOf(
    ctx,
    rows.map((r) => ({ municipalityId: r.municipality_id })),
  );
  return rows.map((row) => ({
    ...repo.toTask(row),
    municipalitySlug: slugs.get(row.municipality_id) ?? '',
  }));
}

/**
 * The lapse sweep: claimed slots whose hold ran out become `lapsed` and their slot is free again.
 * Each lapses once, whoever gets there first. Returns how many this call lapsed.
 */
export async function lapseDueClaims(
  ctx: ServiceContext,
  options: { limit?: number } = {},
): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const due = await repo.listLapsedClaims(ctx.db, now, options.limit ?? 500);
  let lapsed = 0;
  for (const claim of due) {
    const done = await inTransaction(ctx.db, async (db) => {
      const moved = await repo.transitionClaim(db, claim.id, 'claimed', {
        status: 'lapsed',
        released_at: now,
        updated_at: now,
      });
      if (moved) await repo.returnSlot(db, claim.task_id, now);
      return moved;
    });
    if (done) lapsed++;
  }
  return lapsed;
}

// Helpers

function checkInput(input: TaskInput) {
  const errors = validateTaskInput(input);
  if (errors.length > 0) throw invalidInput(errors);
}

function taskColumns(input: TaskInput) {
  const place = placeOf(input);
  return {
    texts: JSON.stringify({
      title: input.title,
      description: input.description,
      safetyNotes: input.safetyNotes ?? null,
      materials: input.materials ?? null,
    }),
    latitude: place.latitude,
    longitude: place.longitude,
    radius_meters: place.radiusMeters,
    area: place.area === null ? null : JSON.stringify(place.area),
    extent_meters: place.extentMeters,
    cell: place.cell,
    bounty_points: input.bountyPoints,
    slots: input.slots,
    window_start: new Date(input.windowStart).toISOString(),
    window_end: new Date(input.windowEnd).toISOString(),
    hold_hours: input.holdHours,
    estimated_minutes: input.estimatedMinutes,
    proof_before_photo: input.proofRequired.beforePhoto ? 1 : 0,
    proof_after_photo: input.proofRequired.afterPhoto ? 1 : 0,
    proof_location: input.proofRequired.location ? 1 : 0,
    volunteer_suitable: 1,
  };
}

async function staffTask(db: ServiceContext['db'], municipalityId: string, taskId: string) {
  const row = await repo.findTask(db, taskId);
  if (!row || row.municipality_id !== municipalityId) throw taskNotFound();
  return row;
}

/** A task the resident can act on: published, in their own municipality. */
async function residentTask(ctx: ServiceContext, municipalityId: string, taskId: string) {
  const row = await repo.findTask(ctx.db, taskId);
  if (!row || row.status === 'draft' || row.municipality_id !== municipalityId) {
    throw taskNotFound();
  }
  return row;
}

function residentOf(ctx: ServiceContext) {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  return { residentId: ctx.actor.residentId, municipalityId: ctx.actor.municipalityId };
}

function actorId(ctx: ServiceContext): string {
  const actor = ctx.actor;
  if ('userId' in actor) return actor.userId;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return actor.kind;
}

/** Posts the bounty (issuance → wallet) once per claim; a replay of the same id is fine. */
async function payBounty(
  ctx: ServiceContext,
  task: TasksTable,
  claim: TaskClaimsTable,
  accounts: { issuance: string; wallet: string },
) {
  const result = await ledger.createTransfer(ctx, {
    id: bountyTransferId(claim.id),
    municipalityId: task.municipality_id,
    debitAccountId: accounts.issuance,
    creditAccountId: accounts.wallet,
    amount: task.bounty_points,
    code: 'task_bounty',
    reference: claim.id,
  });
  if (result.result !== 'ok' && result.result !== 'exists') {
    throw new Error(`the ledger refused the bounty of task claim ${claim.id}: ${result.result}`);
  }
  const now = ctx.clock.now().toISOString();
  await emitEvent(ctx, {
    type: 'task.completed',
    municipalityId: task.municipality_id,
    data: {
      taskId: task.id,
      taskClaimId: claim.id,
      points: task.bounty_points,
      completedAt: claim.completed_at ?? now,
      approvedAt: now,
    },
  });
}

async function accountsFor(ctx: ServiceContext, municipalityId: string, residentId: string) {
  const earner = await findEarner(ctx, municipalityId, { residentId });
  if (!earner) throw claimNotFound();
  const issuance = await ledger.openAccount(ctx, { municipalityId, kind: 'issuance' });
  const wallet = await ledger.openAccount(ctx, {
    municipalityId,
    kind: 'wallet',
    ownerId: residentId,
  });
  return { issuance: issuance.id, wallet: wallet.id };
}

async function slugsOf(ctx: ServiceContext, items: readonly { municipalityId: string }[]) {
  const slugs = new Map<string, string>();
  for (const id of new Set(items.map((i) => i.municipalityId))) {
    const municipality = await findMunicipalityById(ctx, id);
    if (municipality) slugs.set(id, municipality.slug);
  }
  return slugs;
}

function taskNotFound() {
  return new DomainError('task_not_found', 'not_found', 'No such task.');
}

function claimNotFound() {
  return new DomainError('task_claim_not_found', 'not_found', 'You hold no slot of this task.');
}

function alreadyClaimed() {
  return new DomainError(
    'task_already_claimed',
    'conflict',
    'You already hold a slot of this task.',
  );
}

function taskNotOpen(task: TasksTable, now: string) {
  return new DomainError('task_not_open', 'conflict', 'This task cannot be claimed now.', {
    details: { status: task.status, windowEnd: task.window_end, ended: task.window_end <= now },
  });
}
