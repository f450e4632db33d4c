import { Type } from 'typebox';
import { LocaleSchema } from '../../shared/schemas.js';

/** TypeBox schemas for the sign-in and "me" routes. */

export const EmailLinkRequestSchema = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    municipality: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 63,
        description: 'Slug of the municipality to join, for a new address.',
      }),
    ),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);

export const EmailLinkAcceptedSchema = Type.Object({
  sent: Type.Literal(true),
  expiresInMinutes: Type.Integer(),
});

export const SignInRequestSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const MeSchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    displayName: Type.Union([Type.String(), Type.Null()]),
    preferredLocale: LocaleSchema,
    memberCode: Type.String({ description: 'Shown as a QR code and on the member card.' }),
    csrfToken: Type.String({ description: 'Send it as x-csrf-token with every unsafe request.' }),
  },
  { additionalProperties: false },
);

export const SignedInSchema = Type.Object(
  {
    resident: MeSchema,
    created: Type.Boolean({ description: 'True when this sign-in created the account.' }),
  },
  { additionalProperties: false },
);

export const SignedOutEverywhereSchema = Type.Object({ ended: Type.Integer() });

export const WalletSchema = Type.Object(
  {
    points: Type.Integer({ description: 'Points the resident can spend now.' }),
    held: Type.Integer({ description: 'Points held for vouchers not yet redeemed.' }),
    pointValueCents: Type.Integer(),
    expiring: Type.Array(Type.Object({ expiresAt: Type.String(), points: Type.Integer() })),
  },
  { additionalProperties: false },
);

export const HouseholdSchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.String(),
    address: Type.String(),
    inviteCode: Type.String({
      description: 'Share it with the people you live with so they can join.',
    }),
    members: Type.Integer(),
    createdAt: Type.String(),
    verified: Type.Boolean({
      description: 'True once a member entered the code of a letter from the municipal register.',
    }),
    verifiedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const MyHouseholdSchema = Type.Object(
  { household: Type.Union([HouseholdSchema, Type.Null()]) },
  { additionalProperties: false },
);

export const CreateHouseholdSchema = Type.Object(
  { address: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const JoinHouseholdSchema = Type.Object(
  { inviteCode: Type.String({ minLength: 1, maxLength: 20 }) },
  { additionalProperties: false },
);

export const WalletMovementSchema = Type.Object(
  {
    id: Type.String(),
    at: Type.String(),
    points: Type.Integer({ description: 'Positive: points in; negative: points out.' }),
    code: Type.String(),
    reference: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('held'), Type.Literal('done'), Type.Literal('released')]),
  },
  { additionalProperties: false },
);

export const WalletHistorySchema = Type.Object({
  items: Type.Array(WalletMovementSchema),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `before` for the next (older) page; null at the end.',
  }),
});

export const HistoryQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
  },
  { additionalProperties: false },
);

/** A resident as staff of their municipality see them: never public. */
export const ResidentSummarySchema = Type.Object(
  {
    id: Type.String(),
    municipalityId: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    displayName: Type.Union([Type.String(), Type.Null()]),
    preferredLocale: LocaleSchema,
    memberCode: Type.String(),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
);

export const ResidentLookupQuerySchema = Type.Object(
  {
    memberCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ResidentLookupSchema = Type.Object({ items: Type.Array(ResidentSummarySchema) });

export const ResidentWalletSchema = Type.Object(
  { resident: ResidentSummarySchema, wallet: WalletSchema },
  { additionalProperties: false },
);

export const SlugResidentParamsSchema = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 63 }),
  residentId: Type.String({ minLength: 1, maxLength: 64 }),
});
