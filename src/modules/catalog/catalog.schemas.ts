import { Type } from 'typebox';
import { PARTNER_KINDS } from '../../shared/roles.js';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { MAX_ACTIVITY_POINTS } from './catalog.rules.js';
import {
  ACTIVITY_CATEGORIES,
  LIMIT_PERIODS,
  LIMIT_SCOPES,
  UNITS,
  VERIFICATION_METHODS,
} from './catalog.types.js';

/** TypeBox schemas of the activity catalogue. */

const literals = <T extends string>(values: readonly T[], description?: string) =>
  literalUnion(values, description ? { description } : {});

const Count = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const PointsCount = Type.Integer({ minimum: 1, maximum: MAX_ACTIVITY_POINTS });

export const DescriptionsSchema = Type.Object(
  {
    nl: Type.String({ maxLength: 2000 }),
    fr: Type.String({ maxLength: 2000 }),
    de: Type.String({ maxLength: 2000 }),
    en: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const PointsSchema = Type.Union(
  [
    Type.Object(
      { mode: Type.Literal('fixed'), points: PointsCount },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        mode: Type.Literal('per_unit'),
        unit: literals(UNITS),
        pointsPerUnit: PointsCount,
        maxPointsPerClaim: PointsCount,
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Fixed points per claim, or points per unit (kg, hour, item) up to a maximum.' },
);

export const LimitSchema = Type.Object(
  {
    scope: literals(LIMIT_SCOPES),
    period: literals(LIMIT_PERIODS, 'Calendar periods in Europe/Brussels time.'),
    maxCount: Type.Optional(Count),
    maxPoints: Type.Optional(Count),
  },
  { additionalProperties: false },
);

export const ActivityTermsSchema = Type.Object(
  {
    names: LocalizedTextSchema,
    descriptions: DescriptionsSchema,
    category: literals(ACTIVITY_CATEGORIES),
    points: PointsSchema,
    verificationMethods: Type.Array(literals(VERIFICATION_METHODS), { minItems: 1, maxItems: 6 }),
    limits: Type.Array(LimitSchema, { maxItems: 10 }),
    cooldownSeconds: Type.Integer({ minimum: 0, maximum: 366 * 24 * 3600 }),
    validFrom: NullableTimestamp,
    validUntil: NullableTimestamp,
    budget: Type.Union([
      Type.Object(
        { period: literals(['month', 'year', 'lifetime'] as const), points: Count },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    evidence: Type.Object(
      { photo: Type.Boolean(), location: Type.Boolean(), site: Type.Boolean() },
      { additionalProperties: false },
    ),
    site: Type.Union([
      Type.Object(
        {
          latitude: Type.Number({ minimum: -90, maximum: 90 }),
          longitude: Type.Number({ minimum: -180, maximum: 180 }),
          radiusMeters: Type.Integer({ minimum: 10, maximum: 50_000 }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    partnerKind: Type.Union([literals(PARTNER_KINDS), Type.Null()]),
    partnerId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    impactKey: Type.Union([Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), Type.Null()]),
    earnedThrough: literals(
      ['claims', 'reports'] as const,
      'reports: paid when staff accept a problem report; residents cannot claim it themselves.',
    ),
  },
  { additionalProperties: false },
);

const VersionSchema = Type.Object(
  {
    ...ActivityTermsSchema.properties,
    id: Type.String(),
    activityId: Type.String(),
    effectiveFrom: Type.String(),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
);

export const ActivitySchema = Type.Object(
  {
    id: Type.String({ examples: ['act_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    code: Type.String(),
    status: literals(['active', 'archived'] as const),
    current: VersionSchema,
    upcoming: Type.Array(VersionSchema, { description: 'Announced changes, soonest first.' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const ActivityListSchema = Type.Object(
  { items: Type.Array(ActivitySchema) },
  { additionalProperties: false },
);

export const ActivityListQuerySchema = Type.Object(
  { include: Type.Optional(Type.Literal('archived')) },
  { additionalProperties: false },
);

export const CreateActivitySchema = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 48, pattern: '^[a-z0-9][a-z0-9-]{1,47}$' }),
    terms: ActivityTermsSchema,
  },
  { additionalProperties: false },
);

export const ChangeActivitySchema = Type.Object(
  {
    terms: ActivityTermsSchema,
    effectiveFrom: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

export const ActivityStatusSchema = Type.Object(
  { status: literals(['active', 'archived'] as const) },
  { additionalProperties: false },
);

export const ActivityParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), activityId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
