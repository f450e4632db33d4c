import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { type BoundingBox, cellCount, cellRanges } from '../../shared/geo-grid.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import type { ReportsTable } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { rewardAcceptedReport } from '../claims/report-rewards.service.js';
import { findEarner } from '../identity/earners.service.js';
import { listStaff } from '../identity/users.service.js';
import { sendEmail } from '../notifications/notifications.service.js';
import { emitEvent } from '../webhooks/webhooks.service.js';
import type { EventInput } from '../webhooks/webhooks.types.js';
import * as repo from './reports.repository.js';
import { descriptionErrors, statusOf } from './reports.rules.js';
import { reportNotFound } from './reports.service.js';
import { NO_NOTE, SUB_STATUS_TEXTS } from './reports.texts.js';
import {
  ACCEPTED_SUB_STATUSES,
  type SettableSubStatus,
  type StaffReport,
  type SubStatus,
} from './reports.types.js';
import { staffViews } from './reports.views.js';

/**
 * The municipality's report inbox (`reports.read` to look, `reports.review` to act): filter and
 * map, assign, change the status with a public note (the reporter and followers are told in
 * their language; the first acceptance pays the reporter through the claims module), merge
 * duplicates, hide or edit the public text (the original stays in the audit log).
 */

export const INBOX_PAGE = 50;
export const INBOX_MAX = 500;
/** A map view may cover at most this many grid cells (about 60 km × 40 km in Belgium). */
export const MAX_BOX_CELLS = 4000;
const MAX_NOTE = 2000;

export interface InboxQuery {
  status?: 'pending' | 'open' | 'closed';
  subStatus?: SubStatus;
  category?: string;
  /** A staff member's user id, or `none` for unassigned reports. */
  assignee?: string;
  bbox?: BoundingBox;
  before?: string;
  limit?: number;
}

/**
 * The municipality's reports for staff, newest first, with the reporter's contact details.
 * Outcomes: the list; `invalid_input` (bbox too large); `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function listInbox(
  ctx: ServiceContext,
  municipalityId: string,
  query: InboxQuery,
): Promise<StaffReport[]> {
  authorize(ctx, 'reports.read', municipalityId);
  let categoryIds: string[] | undefined;
  if (query.category !== undefined) {
    const category = await repo.findCategoryByCode(ctx.db, municipalityId, query.category);
    categoryIds = category ? [category.id] : [];
  }
  if (query.bbox && cellCount(query.bbox) > MAX_BOX_CELLS) throw boxTooLarge();
  const rows = await repo.listReports(ctx.db, {
    municipalityId,
    // Reports waiting for a visitor's confirmation only when asked for.
    statuses: query.status ? [query.status] : ['open', 'closed'],
    ...(query.subStatus && { subStatuses: [query.subStatus] }),
    ...(categoryIds && { categoryIds }),
    ...(query.assignee !== undefined && {
      assigneeId: query.assignee === 'none' ? null : query.assignee,
    }),
    ...(query.bbox && { cells: cellRanges(query.bbox) }),
    ...(query.before && { before: query.before }),
    includeHidden: true,
    limit: Math.min(Math.max(query.limit ?? INBOX_PAGE, 1), INBOX_MAX),
  });
  const inBox = query.bbox
    ? rows.filter(
        (r) =>
          r.latitude >= query.bbox!.south &&
          r.latitude <= query.bbox!.north &&
          r.longitude >= query.bbox!.west &&
          r.longitude <= query.bbox!.east,
      )
    : rows;
  return staffViews(ctx, inBox);
}

/** One report for staff; `report_not_found`; `not_signed_in`, `permission_denied`, `not_found`. */
export async function getInboxReport(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
): Promise<StaffReport> {
  authorize(ctx, 'reports.read', municipalityId);
  const row = await reportOf(ctx, municipalityId, id);
  return (await staffViews(ctx, [row]))[0]!;
}

/**
 * A reviewer assigns a report to a staff member of the municipality (or nobody: null).
 * Outcomes: the report; `assignee_not_found`; `report_not_found`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function assignReport(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  assigneeId: string | null,
): Promise<StaffReport> {
  authorize(ctx, 'reports.review', municipalityId);
  const row = await reportOf(ctx, municipalityId, id);
  if (assigneeId !== null) {
    const staff = await listStaff(
      { ...ctx, actor: { kind: 'system', name: 'reports' } },
      municipalityId,
    );
    if (!staff.some((user) => user.id === assigneeId && user.status === 'active')) {
      throw new DomainError(
        'assignee_not_found',
        'invalid',
        'Assign the report to an active staff member of this municipality.',
        {
          fieldErrors: [
            { field: '/assigneeId', code: 'unknown', message: 'No such staff member.' },
          ],
        },
      );
    }
  }
  await inTransaction(ctx.db, async (db) => {
    await repo.updateReport(db, id, {
      assignee_id: assigneeId,
      updated_at: ctx.clock.now().toISOString(),
    });
    await audit(
      { ...ctx, db },
      row,
      'report.assigned',
      { assigneeId: row.assignee_id },
      { assigneeId },
    );
    await emitEvent({ ...ctx, db }, reportUpdatedEvent(ctx, row, 'assigned'));
  });
  return getInboxReport(ctx, municipalityId, id);
}

/**
 * A reviewer moves a report to another state with a public note; the reporter and followers
 * are emailed in their language. The first move to an accepted state (acknowledged,
 * in_progress, fixed) pays a resident reporter the "report a local problem" activity through
 * the claims module (its limits apply; a refusal does not stop the status change). Setting the
 * state it has changes nothing. Outcomes: the report and the reward outcome; `invalid_input`;
 * `report_not_found`; `report_not_open` (pending); `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function changeReportStatus(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  input: { subStatus: SettableSubStatus; note?: string },
  links: { publicUrl: string },
): Promise<{ report: StaffReport; reward: string | null }> {
  authorize(ctx, 'reports.review', municipalityId);
  const note = input.note?.trim() || null;
  if (note) {
    const errors = descriptionErrors(note, '/note', { required: false });
    if (note.length > MAX_NOTE) {
      errors.push({ field: '/note', code: 'too_long', message: `At most ${MAX_NOTE} characters.` });
    }
    if (errors.length > 0) throw invalidInput(errors);
  }
  const row = await reportOf(ctx, municipalityId, id);
  if (row.status === 'pending') {
    throw new DomainError(
      'report_not_open',
      'conflict',
      'This report waits for its reporter to confirm it by email.',
    );
  }
  if (row.sub_status === input.subStatus && !note) {
    return { report: await getInboxReport(ctx, municipalityId, id), reward: null };
  }
  await setStatus(ctx, row, input.subStatus, note, links);
  let reward: string | null = null;
  if (ACCEPTED_SUB_STATUSES.includes(input.subStatus) && row.resident_id && row.claim_id === null) {
    const outcome = await rewardAcceptedReport(ctx, {
      municipalityId,
      residentId: row.resident_id,
      reportId: row.id,
      occurredAt: new Date(row.created_at).toISOString(),
      latitude: row.latitude,
      longitude: row.longitude,
      note: `report ${row.id}`,
    });
    reward = outcome.outcome === 'refused' ? outcome.code : outcome.outcome;
    if ('claim' in outcome) {
      await repo.updateReport(ctx.db, row.id, { claim_id: outcome.claim.id });
    }
  }
  return { report: await getInboxReport(ctx, municipalityId, id), reward };
}

async function setStatus(
  ctx: ServiceContext,
  row: ReportsTable,
  subStatus: SubStatus,
  note: string | null,
  links: { publicUrl: string },
  extra: Partial<ReportsTable> = {},
) {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const status = statusOf(subStatus);
  const who = actorIdentity(ctx.actor);
  await inTransaction(ctx.db, async (db) => {
    await repo.updateReport(db, row.id, {
      status,
      sub_status: subStatus,
      updated_at: at,
      // A report reopened from `duplicate` is its own again.
      ...(subStatus !== 'duplicate' && row.duplicate_of !== null && { duplicate_of: null }),
      ...extra,
    });
    await repo.insertUpdate(db, {
      id: newId('rup', now),
      report_id: row.id,
      municipality_id: row.municipality_id,
      status,
      sub_status: subStatus,
      note,
      author_kind: who.kind,
      author_id: who.id,
      created_at: at,
    });
    await audit(
      { ...ctx, db },
      row,
      'report.status_changed',
      { subStatus: row.sub_status },
      { subStatus, note, ...extra },
    );
    await emitEvent(
      { ...ctx, db },
      reportUpdatedEvent(ctx, { ...row, status, sub_status: subStatus, ...extra }, 'status'),
    );
  });
  await tellFollowers(ctx, row, subStatus, note, links);
}

/**
 * A reviewer merges a duplicate into another open report of the municipality: the duplicate's
 * reporter and followers follow the other one, and the duplicate is closed as `duplicate` with
 * a public note naming it. Outcomes: the closed duplicate; `invalid_input` (itself);
 * `report_not_found`; `report_closed` (the target is closed); `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function mergeReport(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  input: { into: string; note?: string },
  links: { publicUrl: string },
): Promise<StaffReport> {
  authorize(ctx, 'reports.review', municipalityId);
  if (input.into === id) {
    throw invalidInput([
      { field: '/into', code: 'same_report', message: 'Merge into another report.' },
    ]);
  }
  const row = await reportOf(ctx, municipalityId, id);
  const target = await reportOf(ctx, municipalityId, input.into);
  if (target.status !== 'open') {
    throw new DomainError('report_closed', 'conflict', 'Merge into an open report.');
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  await inTransaction(ctx.db, async (db) => {
    const present = await repo.followersOf(db, target.id);
    const has = (residentId: string | null, email: string | null) =>
      present.some(
        (f) => (residentId && f.resident_id === residentId) || (email && f.email === email),
      ) ||
      (residentId !== null && target.resident_id === residentId);
    const movers = await repo.followersOf(db, row.id);
    const reporter =
      row.resident_id || row.reporter_email
        ? [
            {
              resident_id: row.resident_id,
              email: row.resident_id ? null : row.reporter_email,
              locale: row.reporter_locale,
            },
          ]
        : [];
    for (const follower of [...reporter, ...movers]) {
      if (has(follower.resident_id, follower.email)) continue;
      const added = {
        id: newId('rfl', now),
        report_id: target.id,
        municipality_id: municipalityId,
        resident_id: follower.resident_id,
        email: follower.email,
        locale: follower.locale,
        created_at: at,
      };
      await repo.insertFollower(db, added);
      present.push(added);
    }
    for (const follower of movers) await repo.deleteFollower(db, follower.id);
  });
  const note = input.note?.trim() || `Reported before: ${links.publicUrl}/reports/${target.id}`;
  await setStatus(ctx, row, 'duplicate', note, links, { duplicate_of: target.id });
  return getInboxReport(ctx, municipalityId, id);
}

/**
 * A reviewer hides a report's public text (and photos) or replaces its text; the text before is
 * kept in the audit log. Outcomes: the report; `invalid_input`; `report_not_found`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function editReport(
  ctx: ServiceContext,
  municipalityId: string,
  id: string,
  input: { description?: string; hidden?: boolean },
): Promise<StaffReport> {
  authorize(ctx, 'reports.review', municipalityId);
  if (input.description !== undefined) {
    const errors = descriptionErrors(input.description, '/description', { required: true });
    if (errors.length > 0) throw invalidInput(errors);
  }
  const row = await reportOf(ctx, municipalityId, id);
  await inTransaction(ctx.db, async (db) => {
    await repo.updateReport(db, id, {
      ...(input.description !== undefined && { description: input.description.trim() }),
      ...(input.hidden !== undefined && { hidden: input.hidden ? 1 : 0 }),
      updated_at: ctx.clock.now().toISOString(),
    });
    await audit(
      { ...ctx, db },
      row,
      'report.edited',
      { description: row.description, hidden: row.hidden === 1 },
      {
        ...(input.description !== undefined && { description: input.description.trim() }),
        ...(input.hidden !== undefined && { hidden: input.hidden }),
      },
    );
    await emitEvent({ ...ctx, db }, reportUpdatedEvent(ctx, row, 'edited'));
  });
  return getInboxReport(ctx, municipalityId, id);
}

/** The `report.updated` webhook event: what changed, the state after, ids and time only. */
function reportUpdatedEvent(
  ctx: ServiceContext,
  row: ReportsTable,
  change: 'status' | 'assigned' | 'edited',
): EventInput {
  return {
    type: 'report.updated',
    municipalityId: row.municipality_id,
    data: {
      reportId: row.id,
      change,
      status: row.status,
      subStatus: row.sub_status,
      duplicateOf: row.duplicate_of,
      updatedAt: ctx.clock.now().toISOString(),
    },
  };
}

async function reportOf(ctx: ServiceContext, municipalityId: string, id: string) {
  const row = await repo.findReport(ctx.db, id);
  if (!row || row.municipality_id !== municipalityId) throw reportNotFound();
  return row;
}

async function audit(
  ctx: ServiceContext,
  row: ReportsTable,
  action: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(ctx, {
    municipalityId: row.municipality_id,
    action,
    subjectType: 'report',
    subjectId: row.id,
    before,
    after,
  });
}

/** Emails the reporter and every follower (each address once) in their language. */
async function tellFollowers(
  ctx: ServiceContext,
  row: ReportsTable,
  subStatus: SubStatus,
  note: string | null,
  links: { publicUrl: string },
) {
  const category = (await repo.findCategoriesByIds(ctx.db, [row.category_id])).get(
    row.category_id,
  )!;
  const recipients = new Map<string, Locale>();
  const addResident = async (residentId: string) => {
    const earner = await findEarner(ctx, row.municipality_id, { residentId });
    if (earner?.resident.email && !recipients.has(earner.resident.email)) {
      recipients.set(earner.resident.email, earner.resident.preferredLocale);
    }
  };
  if (row.resident_id) await addResident(row.resident_id);
  else if (row.reporter_email) recipients.set(row.reporter_email, row.reporter_locale as Locale);
  for (const follower of await repo.followersOf(ctx.db, row.id)) {
    if (follower.resident_id) await addResident(follower.resident_id);
    else if (follower.email && !recipients.has(follower.email)) {
      recipients.set(follower.email, follower.locale as Locale);
    }
  }
  for (const [to, locale] of recipients) {
    await sendEmail(ctx, {
      to,
      locale,
      municipalityId: row.municipality_id,
      template: 'report_update',
      params: {
        category: category.names[locale],
        status: SUB_STATUS_TEXTS[subStatus][locale],
        note: note ?? NO_NOTE[locale],
        link: `${links.publicUrl}/reports/${row.id}`,
      },
    });
  }
}

function boxTooLarge() {
  return invalidInput([
    { field: '/bbox', code: 'too_large', message: 'Zoom in: the map area is too large.' },
  ]);
}

/**
 * The report a task is made from (staff converting a report): it must be one of the
 * municipality's reports that is neither pending nor closed. Outcomes: done; `report_not_found`;
 * `report_closed`; `report_not_open` (pending).
 */
export async function checkReportForTask(
  ctx: ServiceContext,
  municipalityId: string,
  reportId: string,
): Promise<void> {
  const row = await reportOf(ctx, municipalityId, reportId);
  if (row.status === 'pending') {
    throw new DomainError(
      'report_not_open',
      'conflict',
      'This report waits for its reporter to confirm it by email.',
    );
  }
  if (row.status === 'closed') {
    throw new DomainError('report_closed', 'conflict', 'This report is closed.');
  }
}

/**
 * A task made from a report moves the report on: published → `in_progress`, a completion
 * approved → `fixed`; the reporter and followers are told as for any status change. Called by
 * the tasks module once it authorized the staff member (or its checks approved a completion);
 * a report already closed, pending, gone or further along is left as it is.
 */
export async function advanceReportForTask(
  ctx: ServiceContext,
  input: { municipalityId: string; reportId: string; subStatus: 'in_progress' | 'fixed' },
  links: { publicUrl: string },
): Promise<void> {
  const row = await repo.findReport(ctx.db, input.reportId);
  if (!row || row.municipality_id !== input.municipalityId) return;
  if (row.status !== 'open' || row.sub_status === input.subStatus) return;
  await setStatus(ctx, row, input.subStatus, null, links, {});
}
