import { Type } from 'typebox';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';
import { REWARD_KINDS, REWARD_SCOPES } from '../catalog/rewards.types.js';
import { MAX_TOKEN_LENGTH } from './voucher-tokens.rules.js';
import { REDEMPTION_REFUSALS, VOUCHER_STATUSES } from './vouchers.types.js';

/** TypeBox schemas of vouchers, redemptions and the spending settings. */

const ClientId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9._:-]{8,64}$' });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Cents = Type.Integer({ minimum: 0, maximum: 10_000_000 });

export const PurchaseSchema = Type.Object(
  {
    rewardId: Id,
    clientPurchaseId: {
      ...ClientId,
      description: 'Your id for this purchase (a new one per purchase, the same on a retry).',
    },
  },
  { additionalProperties: false },
);

export const VoucherSchema = Type.Object(
  {
    id: Type.String({ examples: ['vch_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    rewardId: Type.String(),
    rewardCode: Type.String(),
    rewardNames: LocalizedTextSchema,
    residentId: Type.String(),
    householdId: NullableString,
    kind: literalUnion(REWARD_KINDS),
    status: literalUnion(VOUCHER_STATUSES),
    scope: literalUnion(REWARD_SCOPES),
    clientPurchaseId: Type.String(),
    pricePoints: Type.Integer(),
    valueCents: Type.Integer(),
    discountPercent: Type.Union([Type.Integer(), Type.Null()]),
    shortCode: NullableString,
    token: Type.Union([Type.String(), Type.Null()], {
      description: 'The signed voucher (JWS, EdDSA) to show as a QR code; null unless open.',
    }),
    tokenId: NullableString,
    keyId: NullableString,
    holdTransferId: NullableString,
    holdCount: Type.Integer(),
    issuedAt: Type.String(),
    expiresAt: NullableString,
    redeemedAt: NullableString,
    redemptionId: NullableString,
    cancelledAt: NullableString,
    expiredAt: NullableString,
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const VoucherListSchema = Type.Object(
  { items: Type.Array(VoucherSchema) },
  { additionalProperties: false },
);

export const VoucherParamsSchema = Type.Object({ voucherId: Id }, { additionalProperties: false });
export const RedemptionParamsSchema = Type.Object(
  { redemptionId: Id },
  { additionalProperties: false },
);

const Presented = {
  token: Type.Optional(
    Type.String({ maxLength: MAX_TOKEN_LENGTH, description: 'The scanned token (QR code).' }),
  ),
  code: Type.Optional(
    Type.String({ maxLength: 40, description: 'The short code as typed, e.g. K7Q2M-9XD4H-T.' }),
  ),
};

export const ValidateSchema = Type.Object(Presented, { additionalProperties: false });

export const RedeemSchema = Type.Object(
  {
    ...Presented,
    locationId: Type.Optional(Id),
    discountCents: Type.Optional({
      ...Cents,
      description: 'For a percentage voucher: the discount given, in cents (at most its most).',
    }),
    clientRedemptionId: Type.Optional({
      ...ClientId,
      description: 'The till’s id for this redemption; the same again returns the first answer.',
    }),
  },
  { additionalProperties: false },
);

const RefusalSchema = Type.Object(
  {
    code: literalUnion(REDEMPTION_REFUSALS),
    message: Type.String({ description: 'Why, in the cashier’s language.' }),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const VoucherCheckSchema = Type.Object(
  {
    voucherId: Type.String(),
    municipalityId: Type.String(),
    rewardId: Type.String(),
    rewardNames: LocalizedTextSchema,
    kind: literalUnion(REWARD_KINDS),
    pricePoints: Type.Integer(),
    valueCents: Type.Integer(),
    discountPercent: Type.Union([Type.Integer(), Type.Null()]),
    status: literalUnion(VOUCHER_STATUSES),
    issuedAt: Type.String(),
    expiresAt: NullableString,
    redeemable: Type.Boolean(),
    refusal: Type.Union([RefusalSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

export const RedemptionSchema = Type.Object(
  {
    id: Type.String({ examples: ['vrd_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    voucherId: Type.String(),
    partnerId: Type.String(),
    locationId: NullableString,
    channel: literalUnion(['online', 'offline', 'donation'] as const),
    clientRedemptionId: NullableString,
    deviceId: NullableString,
    redeemedAt: Type.String(),
    receivedAt: Type.String(),
    outcome: literalUnion(['settled', 'duplicate', 'refused', 'undone'] as const),
    refusalCode: NullableString,
    cashierKind: Type.String(),
    cashierId: Type.String(),
    points: Type.Integer(),
    valueCents: Type.Integer(),
    transferId: NullableString,
    statementId: NullableString,
    undoneAt: NullableString,
    seenAt: NullableString,
  },
  { additionalProperties: false },
);

export const RedemptionListSchema = Type.Object(
  { items: Type.Array(RedemptionSchema) },
  { additionalProperties: false },
);

export const RedemptionListQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);

export const UndoResultSchema = Type.Object(
  { redemption: RedemptionSchema, voucherStatus: literalUnion(VOUCHER_STATUSES) },
  { additionalProperties: false },
);

export const SyncSchema = Type.Object(
  {
    deviceId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9._:-]{8,64}$' }),
    redemptions: Type.Array(
      Type.Object(
        {
          clientRedemptionId: ClientId,
          token: Type.String({ minLength: 1, maxLength: MAX_TOKEN_LENGTH }),
          redeemedAt: Type.String({ format: 'date-time' }),
          locationId: Type.Optional(Id),
          discountCents: Type.Optional(Cents),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const SyncResultSchema = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          clientRedemptionId: Type.String(),
          outcome: literalUnion(['settled', 'duplicate', 'refused'] as const),
          redemptionId: NullableString,
          refusal: Type.Union([literalUnion(REDEMPTION_REFUSALS), Type.Null()]),
          message: NullableString,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const JwkSchema = Type.Object(
  {
    kty: Type.Literal('OKP'),
    crv: Type.Literal('Ed25519'),
    x: Type.String(),
    kid: Type.String(),
    use: Type.Literal('sig'),
    alg: Type.Literal('EdDSA'),
    municipality: Type.String(),
    status: literalUnion(['active', 'retired'] as const),
  },
  { additionalProperties: false },
);

export const JwksSchema = Type.Object(
  { keys: Type.Array(JwkSchema) },
  { additionalProperties: false, description: 'A JSON Web Key Set (RFC 7517, RFC 8037).' },
);

export const OfflineKitSchema = Type.Object(
  {
    generatedAt: Type.String(),
    keys: Type.Array(JwkSchema),
    deniedTokenIds: Type.Array(Type.String()),
    limits: Type.Object(
      { maxCount: Type.Integer(), maxValueCents: Type.Integer() },
      { additionalProperties: false },
    ),
    rewards: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          municipalityId: Type.String(),
          names: LocalizedTextSchema,
          kind: Type.String(),
          scope: Type.String(),
          partnerKind: NullableString,
          partnerIds: Type.Array(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SpendingSettingsSchema = Type.Object(
  {
    liabilityBudgetCents: Type.Union([Type.Integer({ minimum: 0, maximum: 1e13 }), Type.Null()]),
    offlineMaxCount: Type.Integer({ minimum: 0, maximum: 10_000 }),
    offlineMaxValueCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);

export const SigningKeyListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          status: literalUnion(['active', 'retired', 'revoked'] as const),
          publicKey: Type.String(),
          createdAt: Type.String(),
          retiredAt: NullableString,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const KeyParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), keyId: Id },
  { additionalProperties: false },
);

export const RevokeResultSchema = Type.Object(
  {
    revoked: Type.Boolean({ description: 'False when it was revoked already.' }),
    reissued: Type.Integer({ description: 'Open vouchers that got a new token.' }),
  },
  { additionalProperties: false },
);
