import { Type } from 'typebox';
import { LocaleSchema } from '../../shared/schemas.js';
import { MAX_REFERENCE_LENGTH } from './household-register.rules.js';

/** Schemas of the municipal household register, its letters, and a resident's proof of address. */

const StatusSchema = Type.Union(
  [
    Type.Literal('no_letter'),
    Type.Literal('letter_printed'),
    Type.Literal('verified'),
    Type.Literal('not_in_register'),
  ],
  {
    description:
      'no_letter, letter_printed (code not entered yet), verified, or not_in_register (verified, but the latest import no longer lists it).',
  },
);

export const RegisterImportResultSchema = Type.Object(
  {
    households: Type.Integer({
      description: 'Households in the file: now the registered-households figure.',
    }),
    added: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    removed: Type.Integer(),
    keptVerified: Type.Integer({
      description: 'Verified households missing from the file, kept as no longer in the register.',
    }),
  },
  { additionalProperties: false },
);

export const RegisterQuerySchema = Type.Object(
  {
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
);

export const RegisterEntrySchema = Type.Object(
  {
    id: Type.String(),
    reference: Type.String(),
    address: Type.String(),
    members: Type.Integer(),
    locale: Type.Union([LocaleSchema, Type.Null()]),
    status: StatusSchema,
    letterPrintedAt: Type.Union([Type.String(), Type.Null()]),
    verifiedAt: Type.Union([Type.String(), Type.Null()]),
    importedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const RegisterPageSchema = Type.Object(
  {
    summary: Type.Object(
      {
        households: Type.Integer(),
        verified: Type.Integer(),
        lettersWaiting: Type.Integer({
          description: 'Letters printed whose code was not entered yet.',
        }),
        noLongerInRegister: Type.Integer(),
        lastImportAt: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    items: Type.Array(RegisterEntrySchema),
    total: Type.Integer({ description: 'Entries matching the query (all pages).' }),
    offset: Type.Integer(),
    limit: Type.Integer(),
  },
  { additionalProperties: false },
);

export const LettersRequestSchema = Type.Object(
  {
    references: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: MAX_REFERENCE_LENGTH }), {
        minItems: 1,
        maxItems: 10_000,
        description: 'Print exactly these households (replacing codes of earlier letters).',
      }),
    ),
    reprint: Type.Optional(
      Type.Boolean({
        description:
          'Without references: also households that had a letter (their old codes stop working).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const VerifyHouseholdSchema = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
