/** One recorded change: who (and in which role) did what to which object, when, before and after. */
export interface AuditEvent {
  id: string;
  municipalityId: string | null;
  actorKind: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  occurredAt: string;
}

export interface AuditChange {
  /** The municipality whose data changed; null for a region-wide change. */
  municipalityId: string | null;
  /** `<object>.<verb>`, e.g. `staff.invited`, `api_key.revoked`. */
  action: string;
  subjectType: string;
  subjectId: string;
  /** The object's fields before and after; never secrets, never a resident's contact details. */
  before?: unknown;
  after?: unknown;
}

export interface AuditQuery {
  action?: string;
  actorId?: string;
  subjectId?: string;
  from?: string;
  to?: string;
  /** Continue after this event id (newest first). */
  before?: string;
  limit?: number;
}
