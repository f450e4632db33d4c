import { Type } from 'typebox';
import { PARTNER_KINDS } from '../../shared/roles.js';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { DescriptionsSchema, LimitSchema } from './catalog.schemas.js';
import {
  MAX_REWARD_CENTS,
  MAX_REWARD_POINTS,
  MAX_VALIDITY_DAYS,
  REWARD_CODE_PATTERN,
} from './rewards.rules.js';
import { REWARD_CATEGORIES, REWARD_KINDS, REWARD_SCOPES } from './rewards.types.js';

/** TypeBox schemas of the reward catalogue. */

const literals = <T extends string>(values: readonly T[], description?: string) =>
  literalUnion(values, description ? { description } : {});
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const Cents = Type.Integer({ minimum: 1, maximum: MAX_REWARD_CENTS });
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const RewardValueSchema = Type.Union(
  [
    Type.Object({ mode: Type.Literal('points') }, { additionalProperties: false }),
    Type.Object({ mode: Type.Literal('amount'), cents: Cents }, { additionalProperties: false }),
    Type.Object(
      {
        mode: Type.Literal('percent'),
        percent: Type.Integer({ minimum: 1, maximum: 100 }),
        maxCents: Cents,
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      "What a voucher is worth (what the partner is paid): the points at the municipality's point value, an amount in cents, or a percentage off with a most in cents.",
  },
);

export const RewardTermsSchema = Type.Object(
  {
    kind: literals(REWARD_KINDS),
    names: LocalizedTextSchema,
    descriptions: DescriptionsSchema,
    category: literals(REWARD_CATEGORIES),
    pricePoints: Type.Integer({ minimum: 1, maximum: MAX_REWARD_POINTS }),
    value: RewardValueSchema,
    stock: Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()], {
      description: 'Items to hand out in all; null: no stock is kept.',
    }),
    limits: Type.Array(LimitSchema, { maxItems: 10 }),
    validityDays: Type.Union(
      [Type.Integer({ minimum: 1, maximum: MAX_VALIDITY_DAYS }), Type.Null()],
      {
        description: 'How long a voucher can be redeemed; null for tax reductions and donations.',
      },
    ),
    scope: literals(REWARD_SCOPES, 'region: redeemable in every municipality of the region.'),
    validFrom: NullableTimestamp,
    validUntil: NullableTimestamp,
    partnerKind: Type.Union([literals(PARTNER_KINDS), Type.Null()]),
    partnerIds: Type.Array(Id, { maxItems: 100 }),
    causePartnerId: Type.Union([Id, Type.Null()]),
    householdYearlyCapCents: Type.Union([Cents, Type.Null()]),
  },
  { additionalProperties: false },
);

const PlaceSchema = Type.Object(
  {
    partnerId: Type.String(),
    municipalityId: Type.String(),
    name: Type.String(),
    kind: literals(PARTNER_KINDS),
    locations: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          address: Type.String(),
          latitude: Type.Number(),
          longitude: Type.Number(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RewardSchema = Type.Object(
  {
    ...RewardTermsSchema.properties,
    id: Type.String({ examples: ['rwd_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    code: Type.String(),
    status: literals(['active', 'archived'] as const),
    stockLeft: Type.Union([Type.Integer(), Type.Null()]),
    valueCents: Type.Integer({
      description: "What one voucher is worth in euro cents (a percentage's most).",
    }),
    places: Type.Array(PlaceSchema, { description: 'Where its vouchers are redeemed.' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const RewardListSchema = Type.Object(
  { items: Type.Array(RewardSchema) },
  { additionalProperties: false },
);

export const RewardListQuerySchema = Type.Object(
  { include: Type.Optional(Type.Literal('archived')) },
  { additionalProperties: false },
);

export const CreateRewardSchema = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 48, pattern: REWARD_CODE_PATTERN.source }),
    terms: RewardTermsSchema,
  },
  { additionalProperties: false },
);

export const ChangeRewardSchema = Type.Object(
  { terms: RewardTermsSchema },
  { additionalProperties: false },
);

export const RewardStatusSchema = Type.Object(
  { status: literals(['active', 'archived'] as const) },
  { additionalProperties: false },
);

export const RewardParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), rewardId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
