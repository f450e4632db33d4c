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
    email: Type.String(),
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
