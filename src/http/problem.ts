import type { FastifyError } from 'fastify';
import { DomainError, type ErrorKind, type FieldError } from '../shared/errors.js';
import { isUnstorableText } from '../storage/errors.js';

/**
 * Turns any error into RFC 9457 problem details with a stable `code`. This is the one place
 * where error kinds become HTTP statuses.
 */

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  /** Facts the client can act on, e.g. `retryAfterSeconds`, `resetsAt`, `maxBytes`. */
  details?: Record<string, unknown>;
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  details?: Record<string, unknown>,
): Problem {
  return {
    type: `urn:civicpoints:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors && errors.length > 0 && { errors }),
    ...(details && Object.keys(details).length > 0 && { details }),
  };
}

/** Fastify's own client errors, by their error code, as stable problem codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'This content type is not accepted here; send application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body_too_large',
    detail: 'The request body is larger than this route accepts.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    detail: 'The body is empty but the content type says JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    detail: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 400,
    code: 'invalid_content_type',
    detail: 'The Content-Type header is not valid.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', detail: 'The URL is not valid.' },
  FST_ERR_ASYNC_CONSTRAINT: {
    status: 400,
    code: 'bad_request',
    detail: 'The request is not valid.',
  },
};

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Maps a thrown error to the problem to send; unknown errors become a 500 `internal_error`. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(
      STATUS_BY_KIND[error.kind],
      error.code,
      error.message,
      error.fieldErrors,
      error.details,
    );
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(fastifyError.validation)) {
    const context = (fastifyError as { validationContext?: string }).validationContext ?? 'body';
    return problem(
      400,
      'validation_failed',
      'Some fields are missing or not valid.',
      fastifyError.validation.map((issue) => toFieldError(context, issue)),
    );
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return problem(known.status, known.code, known.detail);
  if (error instanceof SyntaxError)
    return problem(400, 'invalid_json', 'The body is not valid JSON.');
  if (isUnstorableText(error)) {
    return problem(400, 'invalid_text', 'Text may not contain the NUL character (\\u0000).');
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, 'bad_request', fastifyError.message ?? 'The request is not valid.');
  }
  return problem(500, 'internal_error', 'Something went wrong on our side; please try again.');
}

function toFieldError(context: string, issue: ValidationIssue): FieldError {
  let field = `/${context}${issue.instancePath ?? ''}`;
  const params = issue.params ?? {};
  if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
    field = `${field}/${params.missingProperty}`;
  }
  if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    field = `${field}/${params.additionalProperty}`;
    return { field, code: 'unknown_field', message: 'This field is not accepted here.' };
  }
  return { field, code: issue.keyword ?? 'invalid', message: issue.message ?? 'is not valid' };
}
