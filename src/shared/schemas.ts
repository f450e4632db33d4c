import { Type } from 'typebox';

/** TypeBox schemas shared by every module: locales, localized text, problem details. */

export const LocaleSchema = Type.Union(
  [Type.Literal('nl'), Type.Literal('fr'), Type.Literal('de'), Type.Literal('en')],
  { description: 'A supported language: nl, fr, de or en.' },
);

export const LocalizedTextSchema = Type.Object(
  {
    nl: Type.String({ minLength: 1, maxLength: 4000 }),
    fr: Type.String({ minLength: 1, maxLength: 4000 }),
    de: Type.String({ minLength: 1, maxLength: 4000 }),
    en: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  {
    additionalProperties: false,
    description: 'The same text in Dutch, French, German and English.',
  },
);

export const FieldErrorSchema = Type.Object({
  field: Type.String({ description: 'JSON pointer to the field, e.g. /body/slug' }),
  code: Type.String(),
  message: Type.String(),
});

/** RFC 9457 problem details, the body of every error response. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code.' }),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Facts to act on, e.g. retryAfterSeconds, resetsAt, maxBytes.',
      }),
    ),
  },
  { description: 'RFC 9457 problem details.' },
);

/** The error responses every route can give, for OpenAPI. */
export const problemResponses = {
  400: { ...ProblemSchema, description: 'The request is malformed or fails validation.' },
  404: { ...ProblemSchema, description: 'Not found.' },
} as const;

/** Routes that take no query parameters reject unknown ones (a typo never passes silently). */
export const NoQuerySchema = Type.Object({}, { additionalProperties: false });

/** The empty answer of a route that only acts (204). */
export const NoContentSchema = Type.Null({ description: 'No content.' });

/** One of these words, typed as their union (for the domain's `as const` lists). */
export const literalUnion = <T extends string>(
  values: readonly T[],
  options: { description?: string } = {},
) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );

/** A file (image, PDF) in a response: sent as bytes, documented as binary. */
export const fileSchema = (description: string) =>
  Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description });
