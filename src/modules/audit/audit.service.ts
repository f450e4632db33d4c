import type { ServiceContext } from '../../shared/context.js';
import { newId } from '../../shared/ids.js';
import { actorIdentity, authorize } from '../../shared/policy.js';
import * as repo from './audit.repository.js';
import { auditCsvHeader, auditCsvRow } from './audit.rules.js';
import type { AuditChange, AuditEvent, AuditQuery } from './audit.types.js';

/**
 * The append-only audit log: every change made by staff, partners and operators is recorded by
 * the service that makes it, in the same transaction (so a change and its record stand or fall
 * together), with the acting identity and roles taken from the context.
 */

/** Records one change made by the context's actor. Outcomes: the event. */
export async function recordAudit(ctx: ServiceContext, change: AuditChange): Promise<AuditEvent> {
  const now = ctx.clock.now();
  const who = actorIdentity(ctx.actor);
  const event: AuditEvent = {
    id: newId('aud', now),
    municipalityId: change.municipalityId,
    actorKind: who.kind,
    actorId: who.id,
    actorRoles: who.roles,
    action: change.action,
    subjectType: change.subjectType,
    subjectId: change.subjectId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: ctx.requestId ?? null,
    occurredAt: now.toISOString(),
  };
  await repo.insertEvent(ctx.db, event);
  return event;
}

export const AUDIT_PAGE_SIZE = 100;
const EXPORT_BATCH = 1000;

/**
 * One page of a municipality's audit log (or the region's own with null), newest first, and
 * the cursor of the next. Outcomes: the page; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function searchAudit(
  ctx: ServiceContext,
  municipalityId: string | null,
  query: AuditQuery,
): Promise<{ events: AuditEvent[]; next: string | null }> {
  authorizeAudit(ctx, municipalityId);
  const limit = Math.min(query.limit ?? AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE);
  const events = await repo.searchEvents(ctx.db, municipalityId, { ...query, limit: limit + 1 });
  const more = events.length > limit;
  if (more) events.pop();
  return { events, next: more ? events[events.length - 1]!.id : null };
}

/**
 * The whole matching audit log as CSV, produced in batches so a long log never sits in memory at
 * once. Outcomes: the lines; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function* exportAuditCsv(
  ctx: ServiceContext,
  municipalityId: string | null,
  query: Omit<AuditQuery, 'before' | 'limit'>,
): AsyncGenerator<string> {
  authorizeAudit(ctx, municipalityId);
  yield auditCsvHeader();
  let before: string | undefined;
  for (;;) {
    const batch = await repo.searchEvents(ctx.db, municipalityId, {
      ...query,
      ...(before !== undefined && { before }),
      limit: EXPORT_BATCH,
    });
    for (const event of batch) yield auditCsvRow(event);
    if (batch.length < EXPORT_BATCH) return;
    before = batch[batch.length - 1]!.id;
  }
}

function authorizeAudit(ctx: ServiceContext, municipalityId: string | null) {
  if (municipalityId === null) authorize(ctx, 'region.manage');
  else authorize(ctx, 'audit.read', municipalityId);
}

/**
 * Every event about one subject in a municipality, oldest first: for the resident it is about
 * (their data export) or an admin. Outcomes: the events; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function listEventsAbout(
  ctx: ServiceContext,
  municipalityId: string,
  subjectId: string,
): Promise<AuditEvent[]> {
  const own = ctx.actor.kind === 'resident' && ctx.actor.residentId === subjectId;
  if (!own) authorize(ctx, 'audit.read', municipalityId);
  const events: AuditEvent[] = [];
  let before: string | undefined;
  for (;;) {
    const batch = await repo.searchEvents(ctx.db, municipalityId, {
      subjectId,
      ...(before !== undefined && { before }),
      limit: EXPORT_BATCH,
    });
    events.push(...batch);
    if (batch.length < EXPORT_BATCH) return events.reverse();
    before = batch[batch.length - 1]!.id;
  }
}
