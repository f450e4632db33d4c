import { Type } from 'typebox';

/** TypeBox schemas for the audit log. */

export const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.Union([Type.String(), Type.Null()]),
    actorKind: Type.String(),
    actorId: Type.String(),
    actorRoles: Type.Array(Type.String()),
    action: Type.String(),
    subjectType: Type.String(),
    subjectId: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
    requestId: Type.Union([Type.String(), Type.Null()]),
    occurredAt: Type.String(),
  },
  { additionalProperties: false },
);

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEventSchema),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `before` for the next (older) page; null at the end.',
  }),
});

const filters = {
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Actor id.' })),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Subject id.' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};

export const AuditExportQuerySchema = Type.Object(filters, { additionalProperties: false });

export const AuditQuerySchema = Type.Object(
  {
    ...filters,
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
