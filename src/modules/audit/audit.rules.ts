import { csvField } from '../../shared/csv.js';
import type { AuditEvent } from './audit.types.js';

/** Pure rules of the audit log: the CSV export. */

export const AUDIT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'actor_kind',
  'actor_id',
  'actor_roles',
  'action',
  'subject_type',
  'subject_id',
  'before',
  'after',
  'request_id',
] as const;

export { csvField };

export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

export function auditCsvRow(event: AuditEvent): string {
  const json = (value: unknown) =>
    value === null || value === undefined ? '' : JSON.stringify(value);
  return `${[
    event.id,
    event.occurredAt,
    event.actorKind,
    event.actorId,
    event.actorRoles.join(' '),
    event.action,
    event.subjectType,
    event.subjectId,
    json(event.before),
    json(event.after),
    event.requestId ?? '',
  ]
    .map(csvField)
    .join(',')}\r\n`;
}
