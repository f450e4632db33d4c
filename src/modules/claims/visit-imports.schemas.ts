import { Type } from 'typebox';
import { literalUnion } from '../../shared/schemas.js';
import { SlugParamsSchema } from '../tenancy/tenancy.schemas.js';
import { MAX_KG, MAX_VISIT_ID_LENGTH } from './visits.rules.js';

/** TypeBox schemas of recycling-centre visits and their import runs. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const VisitSchema = Type.Object(
  {
    visitId: Type.String({
      minLength: 1,
      maxLength: MAX_VISIT_ID_LENGTH,
      description: "The visit's id in the centre's system (letters, digits, _ . : -).",
      examples: ['2025-000123'],
    }),
    memberCode: Type.String({
      minLength: 1,
      maxLength: 32,
      description: "The resident's member code, as typed or scanned.",
    }),
    visitedAt: Type.String({
      minLength: 10,
      maxLength: 40,
      description: 'The date (2025-05-31) or the time with its zone (2025-05-31T14:30:00+02:00).',
    }),
    streams: Type.Array(
      Type.Object(
        {
          stream: Type.String({ minLength: 1, maxLength: 32, examples: ['paper'] }),
          kg: Type.Number({
            exclusiveMinimum: 0,
            maximum: MAX_KG,
            description: 'Kilograms brought, at most 3 decimals.',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 32 },
    ),
  },
  { additionalProperties: false },
);

export const VisitResultSchema = Type.Object(
  {
    visitId: Type.String(),
    results: Type.Array(
      Type.Object(
        {
          stream: Type.String(),
          status: literalUnion(['approved', 'waiting', 'already_imported', 'refused'] as const, {
            description:
              '`approved` (points paid; 0 for a weight below one point), `waiting` (a reviewer decides), `already_imported` (this visit was sent before: nothing changed), `refused` (see code).',
          }),
          points: Type.Integer(),
          claimId: NullableString,
          code: NullableString,
          message: NullableString,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ImportRunSchema = Type.Object(
  {
    id: Type.String({ examples: ['imp_01jf7q4x2e8m3v5k9w0c6r1t2z'] }),
    municipalityId: Type.String(),
    partnerId: NullableString,
    kind: Type.Literal('visits'),
    fileName: Type.String(),
    status: literalUnion(['running', 'done', 'failed'] as const),
    rowsTotal: Type.Integer(),
    rowsDone: Type.Integer(),
    awarded: Type.Integer({ description: 'Claims approved by this import.' }),
    waiting: Type.Integer({ description: 'Claims left for a reviewer (a limit is in doubt).' }),
    alreadyImported: Type.Integer({ description: 'Rows imported before: nothing changed.' }),
    problems: Type.Integer({ description: 'Bad rows (each listed with its line).' }),
    points: Type.Integer(),
    error: Type.Union([
      Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    startedBy: Type.Object(
      { kind: Type.String(), id: Type.String() },
      { additionalProperties: false },
    ),
    startedAt: Type.String(),
    updatedAt: Type.String(),
    finishedAt: NullableString,
  },
  { additionalProperties: false },
);

export const ImportRunListSchema = Type.Object(
  { items: Type.Array(ImportRunSchema) },
  { additionalProperties: false },
);

export const ImportProblemSchema = Type.Object(
  {
    line: Type.Integer({ description: 'The line of the file (the header is line 1).' }),
    reason: Type.String({
      description:
        'missing_value, bad_visit_id, bad_date, bad_stream, bad_number, unknown_stream, unknown_resident, duplicate_visit, activity_closed, limit_reached, claim_waiting, cooldown, budget_spent, yearly_cap_reached',
    }),
    message: Type.String(),
    visitId: NullableString,
    stream: NullableString,
  },
  { additionalProperties: false },
);

export const ImportRunDetailSchema = Type.Object(
  {
    run: ImportRunSchema,
    problems: Type.Object(
      {
        items: Type.Array(ImportProblemSchema),
        total: Type.Integer(),
        offset: Type.Integer(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ImportRunQuerySchema = Type.Object(
  {
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const PartnerUploadQuerySchema = Type.Object(
  { fileName: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const StaffUploadQuerySchema = Type.Object(
  {
    partnerId: Id,
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const RunParamsSchema = Type.Object({ runId: Id }, { additionalProperties: false });

export const StaffRunParamsSchema = Type.Object(
  { ...SlugParamsSchema.properties, runId: Id },
  { additionalProperties: false },
);
