import { Type } from 'typebox';
import { literalUnion } from '../../shared/schemas.js';
import { MAX_RADIUS_M, MIN_RADIUS_M } from './alerts.rules.js';

/** TypeBox schemas of area alerts. */

const Frequency = literalUnion(['daily', 'weekly'] as const);
const Slug = Type.String({ minLength: 2, maxLength: 63 });

export const AreaAlertInputSchema = Type.Object(
  {
    area: Type.Union([
      Type.Object(
        {
          kind: Type.Literal('municipality'),
          municipality: Type.Optional({
            ...Slug,
            description: 'A municipality of the region; your own when left out.',
          }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          kind: Type.Literal('circle'),
          latitude: Type.Number({ minimum: -90, maximum: 90 }),
          longitude: Type.Number({ minimum: -180, maximum: 180 }),
          radiusM: Type.Integer({ minimum: MIN_RADIUS_M, maximum: MAX_RADIUS_M }),
        },
        { additionalProperties: false },
      ),
    ]),
    tasks: Type.Boolean({ description: 'New public tasks in the area.' }),
    reports: Type.Boolean({ description: 'New problem reports in the area.' }),
    frequency: Frequency,
  },
  { additionalProperties: false },
);

export const AreaAlertSchema = Type.Object({
  id: Type.String({ examples: ['alr_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
  municipalityId: Type.String(),
  residentId: Type.String(),
  area: Type.Union([
    Type.Object({
      kind: Type.Literal('municipality'),
      municipalityId: Type.String(),
      municipalitySlug: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('circle'),
      latitude: Type.Number(),
      longitude: Type.Number(),
      radiusM: Type.Integer(),
    }),
  ]),
  tasks: Type.Boolean(),
  reports: Type.Boolean(),
  frequency: Frequency,
  createdAt: Type.String({ format: 'date-time' }),
  nextDigestAt: Type.String({ format: 'date-time' }),
  lastSentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const AreaAlertListSchema = Type.Object({ items: Type.Array(AreaAlertSchema) });

export const AlertParamsSchema = Type.Object({
  alertId: Type.String({ minLength: 1, maxLength: 64 }),
});

export const UnsubscribeQuerySchema = Type.Object(
  {
    alert: Type.String({ minLength: 1, maxLength: 64 }),
    token: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const UnsubscribedSchema = Type.Object({ unsubscribed: Type.Literal(true) });
