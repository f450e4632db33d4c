import { Type } from 'typebox';
import { literalUnion } from '../../shared/schemas.js';
import { PAYOUT_STATUSES } from './payouts.types.js';

/** TypeBox schemas of the payouts API (docs/payouts.md). */

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const Points = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const PointsOrZero = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const AddressText = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'An EVM address (0x + 40 hex), EIP-55 checksummed or all lowercase.',
});

const settingsFields = {
  enabled: Type.Boolean(),
  rpcUrl: Type.String({ minLength: 1, maxLength: 2000, description: 'The chain’s JSON-RPC URL.' }),
  chainId: Type.Integer({ minimum: 1, maximum: 2 ** 52 }),
  tokenAddress: Type.Union([AddressText, Type.Null()], {
    description: 'The ERC-20 contract; null until a token is deployed or entered.',
  }),
  tokenDecimals: Type.Integer({ minimum: 0, maximum: 36 }),
  tokenSymbol: Type.String({ minLength: 1, maxLength: 11, pattern: '^[A-Za-z0-9]{1,11}$' }),
  treasuryKeySource: Type.String({
    minLength: 5,
    maxLength: 1030,
    description: 'Where the treasury’s private key is: env:VARIABLE_NAME or file:/absolute/path.',
  }),
  tokenUnitsPerPoint: Type.String({
    minLength: 1,
    maxLength: 78,
    description: 'Token base units per point, a whole number as text (e.g. "10000000000000000").',
  }),
  minPoints: Points,
  maxPoints: Points,
  yearlyCapPoints: PointsOrZero,
  approvalThresholdPoints: Type.Union([PointsOrZero, Type.Null()], {
    description: 'Payouts of more points wait for a finance officer; null: none wait.',
  }),
  confirmations: Type.Integer({ minimum: 1, maximum: 1000 }),
  coolingOffHours: Type.Integer({ minimum: 0, maximum: 24 * 366 }),
  explorerTxUrl: Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
    description: 'e.g. https://explorer.example/tx/{hash}; null: no link.',
  }),
};

export const PayoutSettingsInputSchema = Type.Object(
  {
    ...settingsFields,
    reconcileFromBlock: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 52 })),
    treasuryAddress: Type.Optional({
      ...AddressText,
      description: 'When sent, the key must belong to this address (treasury_key_mismatch).',
    }),
  },
  { additionalProperties: false },
);

export const PayoutSettingsSchema = Type.Object(
  {
    municipalityId: Type.String(),
    rail: Type.Literal('erc20'),
    ...settingsFields,
    treasuryAddress: Type.String({
      description: 'Derived from the key when the settings were saved.',
    }),
    reconcileFromBlock: Type.Integer(),
    updatedBy: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const MaybePayoutSettingsSchema = Type.Union([PayoutSettingsSchema, Type.Null()], {
  description: 'The settings; null before any were saved.',
});

const ProvenAddressSchema = Type.Object(
  { address: Type.String(), provenAt: Type.String(), usableFrom: Type.String() },
  { additionalProperties: false },
);

export const ResidentPayoutSettingsSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    chainId: NullableInteger,
    tokenSymbol: NullableString,
    tokenDecimals: NullableInteger,
    tokenUnitsPerPoint: NullableString,
    tokensPerPoint: Type.Union([Type.String(), Type.Null()], {
      description: 'Tokens paid for one point, as decimal text.',
    }),
    minPoints: NullableInteger,
    maxPoints: NullableInteger,
    yearlyCapPoints: NullableInteger,
    usedThisYearPoints: Type.Integer(),
    approvalThresholdPoints: NullableInteger,
    availablePoints: Type.Integer(),
    address: Type.Union([ProvenAddressSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

export const ChallengeRequestSchema = Type.Object(
  { address: AddressText },
  { additionalProperties: false },
);

export const ChallengeSchema = Type.Object(
  {
    message: Type.String({ description: 'The EIP-4361 message to sign with the wallet.' }),
    nonce: Type.String(),
    expiresAt: Type.String(),
  },
  { additionalProperties: false },
);

export const ProofSchema = Type.Object(
  {
    message: Type.String({ minLength: 1, maxLength: 4000 }),
    signature: Type.String({ minLength: 1, maxLength: 1100, description: '0x-prefixed hex.' }),
  },
  { additionalProperties: false },
);

export { ProvenAddressSchema };

export const PayoutRequestSchema = Type.Object(
  {
    points: Points,
    clientRequestId: Type.String({
      minLength: 8,
      maxLength: 64,
      pattern: '^[A-Za-z0-9._:-]{8,64}$',
      description: 'Your id for this payout (a new one per payout, the same on a retry).',
    }),
  },
  { additionalProperties: false },
);

export const PayoutSchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.String(),
    residentId: Type.String(),
    clientRequestId: Type.String(),
    rail: Type.Literal('erc20'),
    points: Type.Integer(),
    tokenAmount: Type.String({ description: 'Token base units, decimal text.' }),
    address: Type.String(),
    status: literalUnion(PAYOUT_STATUSES),
    holdTransferId: Type.String(),
    chainId: Type.Integer(),
    tokenAddress: Type.String(),
    treasuryAddress: Type.String(),
    nonce: NullableInteger,
    txHash: NullableString,
    blockNumber: NullableInteger,
    parkReason: NullableString,
    failureReason: NullableString,
    decidedBy: NullableString,
    requestedAt: Type.String(),
    submittedAt: NullableString,
    settledAt: NullableString,
    updatedAt: Type.String(),
    txUrl: Type.Union([Type.String(), Type.Null()], {
      description: 'The transaction in the chain explorer, once sent (when an explorer is set).',
    }),
  },
  { additionalProperties: false },
);

export const PayoutListSchema = Type.Object(
  { items: Type.Array(PayoutSchema) },
  { additionalProperties: false },
);

export const PayoutListQuerySchema = Type.Object(
  { status: Type.Optional(literalUnion(PAYOUT_STATUSES)) },
  { additionalProperties: false },
);

export const PayoutParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), payoutId: Id },
  { additionalProperties: false },
);

export const RejectSchema = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
