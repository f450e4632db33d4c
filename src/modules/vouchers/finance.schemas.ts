import { Type } from 'typebox';
import { LocalizedTextSchema, literalUnion } from '../../shared/schemas.js';

/** TypeBox schemas of settlement statements, tax credits and the liability dashboard. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Period = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  description: 'A month, YYYY-MM.',
});

export const StatementSchema = Type.Object(
  {
    id: Type.String({ examples: ['stl_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    partnerId: Type.String(),
    partnerName: NullableString,
    period: Type.String(),
    status: literalUnion(['issued', 'paid'] as const),
    lines: Type.Integer(),
    points: Type.Integer(),
    amountCents: Type.Integer(),
    createdAt: Type.String(),
    createdBy: Type.String(),
    paidAt: NullableString,
    paidBy: NullableString,
    paymentReference: NullableString,
  },
  { additionalProperties: false },
);

export const StatementListSchema = Type.Object(
  { items: Type.Array(StatementSchema) },
  { additionalProperties: false },
);

export const StatementDetailSchema = Type.Object(
  {
    statement: StatementSchema,
    lines: Type.Array(
      Type.Object(
        {
          redemptionId: Type.String(),
          voucherId: Type.String(),
          shortCode: NullableString,
          rewardId: Type.String(),
          rewardCode: Type.String(),
          rewardNames: LocalizedTextSchema,
          channel: literalUnion(['online', 'offline', 'donation'] as const),
          redeemedAt: Type.String(),
          receivedAt: Type.String(),
          points: Type.Integer(),
          valueCents: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const StatementQuerySchema = Type.Object(
  { period: Type.Optional(Period), partnerId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const IssueStatementsSchema = Type.Object(
  { period: Period },
  { additionalProperties: false },
);

export const PaidSchema = Type.Object(
  { paymentReference: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const StatementParamsSchema = Type.Object(
  { slug: Type.String({ maxLength: 64 }), statementId: Id },
  { additionalProperties: false },
);

export const PartnerStatementParamsSchema = Type.Object(
  { statementId: Id },
  { additionalProperties: false },
);

export const YearQuerySchema = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 2200, description: 'A calendar year.' }) },
  { additionalProperties: false },
);

export const TaxCreditsSchema = Type.Object(
  {
    year: Type.Integer(),
    totalCents: Type.Integer(),
    households: Type.Array(
      Type.Object(
        {
          householdId: Type.String(),
          reference: NullableString,
          address: Type.String(),
          locale: literalUnion(['nl', 'fr', 'de', 'en'] as const),
          reductions: Type.Integer(),
          points: Type.Integer(),
          amountCents: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Month = Type.Object(
  {
    month: Type.String(),
    points: Type.Integer(),
    vouchers: Type.Integer(),
    voucherPoints: Type.Integer(),
  },
  { additionalProperties: false },
);

export const LiabilitySchema = Type.Object(
  {
    pointValueCents: Type.Integer(),
    spendablePoints: Type.Integer(),
    heldPoints: Type.Integer(),
    residentsCents: Type.Integer(),
    owedToPartnersCents: Type.Integer(),
    totalCents: Type.Integer(),
    budgetCents: Type.Union([Type.Integer(), Type.Null()]),
    overBudget: Type.Boolean(),
    openVouchers: Type.Array(
      Type.Object(
        {
          rewardId: Type.String(),
          names: LocalizedTextSchema,
          count: Type.Integer(),
          points: Type.Integer(),
          cents: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    owedToPartners: Type.Array(
      Type.Object(
        {
          partnerId: Type.String(),
          name: NullableString,
          redemptions: Type.Integer(),
          points: Type.Integer(),
          cents: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    expiring: Type.Array(Month),
    redemptionRate: Type.Union([Type.Number(), Type.Null()]),
    vouchersLastYear: Type.Object(
      {
        redeemed: Type.Integer(),
        expired: Type.Integer(),
        cancelled: Type.Integer(),
        open: Type.Integer(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
