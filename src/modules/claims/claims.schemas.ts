import { Type } from 'typebox';
import { literalUnion } from '../../shared/schemas.js';
import { ActivitySchema } from '../catalog/catalog.schemas.js';
import { VERIFICATION_METHODS } from '../catalog/catalog.types.js';
import {
  CLAIM_SOURCES,
  CLAIM_STATUSES,
  FLAG_CODES,
  REJECT_REASONS,
  RISK_LEVELS,
} from './claims.types.js';

/** TypeBox schemas of claims, photos and earning settings. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Latitude = Type.Number({ minimum: -90, maximum: 90 });
const Longitude = Type.Number({ minimum: -180, maximum: 180 });

export const ClaimFlagSchema = Type.Object(
  {
    code: literalUnion(FLAG_CODES),
    risk: literalUnion(['low', 'medium', 'high'] as const),
    detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  },
  { additionalProperties: false },
);

export const ClaimSchema = Type.Object(
  {
    id: Type.String({ examples: ['clm_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    activityId: Type.String(),
    activityVersionId: Type.String(),
    residentId: Type.String(),
    householdId: NullableString,
    source: literalUnion(CLAIM_SOURCES),
    partnerId: NullableString,
    method: literalUnion(VERIFICATION_METHODS),
    quantity: Type.Number(),
    requestedPoints: Type.Integer(),
    points: Type.Integer({ description: 'Points awarded; 0 until approved.' }),
    note: NullableString,
    latitude: NullableNumber,
    longitude: NullableNumber,
    siteLocationId: NullableString,
    occurredAt: Type.String(),
    submittedAt: Type.String(),
    status: literalUnion(CLAIM_STATUSES),
    risk: literalUnion(RISK_LEVELS),
    flags: Type.Array(ClaimFlagSchema),
    decidedAt: NullableString,
    decidedBy: Type.Union([
      Type.Object({ kind: Type.String(), id: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    rejectReason: Type.Union([literalUnion(REJECT_REASONS), Type.Null()]),
    decisionNote: NullableString,
    appealedAt: NullableString,
    appealNote: NullableString,
    transferId: NullableString,
    photoIds: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export const ClaimListSchema = Type.Object(
  { items: Type.Array(ClaimSchema), total: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);

export const SubmitClaimSchema = Type.Object(
  {
    activityId: Id,
    quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    latitude: Type.Optional(Latitude),
    longitude: Type.Optional(Longitude),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    photoIds: Type.Optional(Type.Array(Id, { maxItems: 4 })),
    siteCode: Type.Optional(Type.String({ minLength: 1, maxLength: 12 })),
    clientClaimId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{8,64}$',
        description: 'Your id for this claim; sending it again returns the first claim (200).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AppealSchema = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const ApproveSchema = Type.Object(
  {
    quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const RejectSchema = Type.Object(
  {
    reason: literalUnion(REJECT_REASONS),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const BulkApproveSchema = Type.Object(
  { claimIds: Type.Array(Id, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

export const BulkApproveResultSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          status: literalUnion(['approved', 'refused'] as const),
          code: Type.Optional(Type.String()),
          claim: Type.Optional(ClaimSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ClaimQuerySchema = Type.Object(
  {
    status: Type.Optional(literalUnion(CLAIM_STATUSES)),
    activityId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    risk: Type.Optional(literalUnion(RISK_LEVELS)),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    sort: Type.Optional(literalUnion(['oldest', 'newest', 'risk'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

export const ClaimDetailSchema = Type.Object(
  {
    claim: ClaimSchema,
    activity: ActivitySchema,
    terms: ActivitySchema.properties.current,
    decidedByName: NullableString,
    resident: Type.Object(
      {
        id: Type.String(),
        memberCode: Type.String(),
        displayName: NullableString,
        createdAt: Type.String(),
      },
      { additionalProperties: false },
    ),
    history: Type.Array(ClaimSchema),
  },
  { additionalProperties: false },
);

export const ClaimParamsSchema = Type.Object({ claimId: Id }, { additionalProperties: false });

export const StaffClaimParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), claimId: Id },
  { additionalProperties: false },
);

export const StaffPhotoParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), claimId: Id, photoId: Id },
  { additionalProperties: false },
);

export const PhotoParamsSchema = Type.Object({ photoId: Id }, { additionalProperties: false });

export const UploadedPhotoSchema = Type.Object(
  {
    id: Type.String(),
    width: Type.Integer(),
    height: Type.Integer(),
    takenAt: NullableString,
    hasLocation: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const EarningSettingsSchema = Type.Object(
  {
    yearlyCapPoints: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000_000 }), Type.Null()], {
      description:
        'Points a resident may earn per calendar year across all activities; null: no cap.',
    }),
    newAccountDays: Type.Integer({ minimum: 0, maximum: 365 }),
    velocityMaxClaims: Type.Integer({ minimum: 1, maximum: 1000 }),
    velocityWindowMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    photoMaxHoursApart: Type.Integer({ minimum: 1, maximum: 8760 }),
  },
  { additionalProperties: false },
);

export const RejectReasonsSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          code: literalUnion(REJECT_REASONS),
          texts: Type.Object({
            nl: Type.String(),
            fr: Type.String(),
            de: Type.String(),
            en: Type.String(),
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
