import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Request validation. Bodies are checked strictly: no type coercion ("12" is not a number) and
 * unknown fields are errors, not silently dropped. Query strings, path parameters and headers
 * arrive as text, so there numbers and booleans are coerced from their text form.
 */
const shared: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
};

function makeAjv(options: Options) {
  const ajv = new Ajv({ ...shared, ...options });
  addFormats.default(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance) {
  const strict = makeAjv({ coerceTypes: false });
  const textual = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : textual.compile(schema),
  );
}
