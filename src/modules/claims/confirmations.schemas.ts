import { Type } from 'typebox';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { UNITS } from '../catalog/catalog.types.js';
import { CLAIM_STATUSES } from './claims.types.js';
import { CONFIRMATIONS_MAX } from './confirmations.service.js';

/** TypeBox schemas of partner confirmations and site codes. */

export const ConfirmSchema = Type.Object(
  {
    activityCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 48, examples: ['volunteer', 'green-energy'] }),
    ),
    activityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    memberCode: Type.String({
      minLength: 1,
      maxLength: 40,
      description:
        'The resident’s member code as typed or scanned from the member card’s QR code (any case, dashes optional).',
      examples: ['K7Q2M-9XD4H-T'],
    }),
    quantity: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1_000_000,
        description: 'In the activity’s unit (hours, kg, items); only for per-unit activities.',
      }),
    ),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    externalId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._:-]{1,100}$',
        description:
          'Your own id for this confirmation: sending it again returns the first confirmation (200).',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ConfirmationSchema = Type.Object(
  {
    id: Type.String({ examples: ['clm_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    activity: Type.Object(
      {
        id: Type.String(),
        code: Type.Union([Type.String(), Type.Null()]),
        names: LocalizedTextSchema,
      },
      { additionalProperties: false },
    ),
    memberCode: Type.String(),
    quantity: Type.Number(),
    unit: Type.Union([literalUnion(UNITS), Type.Null()]),
    points: Type.Integer({
      description: 'Points given; 0 while the municipality still checks it.',
    }),
    requestedPoints: Type.Integer(),
    status: literalUnion(CLAIM_STATUSES, {
      description: '`approved` (points given) or `submitted` (the municipality checks it first).',
    }),
    occurredAt: Type.String(),
    confirmedAt: Type.String(),
    externalId: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ConfirmationListSchema = Type.Object(
  { items: Type.Array(ConfirmationSchema) },
  { additionalProperties: false },
);

export const ConfirmationQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CONFIRMATIONS_MAX })) },
  { additionalProperties: false },
);

export const LocationParamsSchema = Type.Object(
  { locationId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }) },
  { additionalProperties: false },
);

export const SiteCodeSchema = Type.Object(
  {
    locationId: Type.String(),
    locationName: Type.String(),
    code: Type.String({ pattern: '^[0-9]{6}$', examples: ['042917'] }),
    validUntil: Type.String({
      description:
        'When the next code shows. Residents may still type this one until a minute later.',
    }),
    secondsLeft: Type.Integer({ minimum: 1, maximum: 60 }),
  },
  { additionalProperties: false },
);
