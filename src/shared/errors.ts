/**
 * Domain errors: every failure a service can report, with a stable machine-readable `code`
 * and a `kind` that the HTTP layer maps to a status in one place (src/http/problem.ts).
 */

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

/** One problem with one input field; `field` is a JSON pointer or a CLI option name. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;
  readonly fieldErrors: FieldError[];

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    options: { details?: Record<string, unknown>; fieldErrors?: FieldError[] } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.details = options.details;
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

/** A validation failure listing every bad field at once. */
export function invalidInput(fieldErrors: FieldError[], message = 'The input is not valid.') {
  return new DomainError('invalid_input', 'invalid', message, { fieldErrors });
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
