import type { Db } from '../../storage/database.js';
import type { AuditEventsTable } from '../../storage/schema.js';
import type { AuditEvent, AuditQuery } from './audit.types.js';

/** SQL for the audit log; there is deliberately no update or delete (the database refuses both). */

function toEvent(row: AuditEventsTable): AuditEvent {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorRoles: JSON.parse(row.actor_roles),
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    requestId: row.request_id,
    occurredAt: row.occurred_at,
  };
}

export async function insertEvent(db: Db, event: AuditEvent) {
  await db
    .insertInto('audit_events')
    .values({
      id: event.id,
      municipality_id: event.municipalityId,
      actor_kind: event.actorKind,
      actor_id: event.actorId,
      actor_roles: JSON.stringify(event.actorRoles),
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      before: event.before === undefined ? null : JSON.stringify(event.before),
      after: event.after === undefined ? null : JSON.stringify(event.after),
      request_id: event.requestId,
      occurred_at: event.occurredAt,
    })
    .execute();
}

/** Events of one municipality (or the region-wide ones for null), newest first. */
export async function searchEvents(
  db: Db,
  municipalityId: string | null,
  query: AuditQuery & { limit: number },
): Promise<AuditEvent[]> {
  let q = db.selectFrom('audit_events').selectAll();
  q =
    municipalityId === null
      ? q.where('municipality_id', 'is', null)
      : q.where('municipality_id', '=', municipalityId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.subjectId) q = q.where('subject_id', '=', query.subjectId);
  if (query.from) q = q.where('occurred_at', '>=', query.from);
  if (query.to) q = q.where('occurred_at', '<', query.to);
  if (query.before) q = q.where('id', '<', query.before);
  const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toEvent);
}
