import type { FastifyRequest } from 'fastify';
import { type LogFn, stdSerializers } from 'pino';

/**
 * What the JSON log says about requests, responses and errors: nothing personal. A request is its
 * id (pino's `reqId`), method and route template — never the raw URL, whose path and query can
 * carry tokens (sign-in links, unsubscribe links, OIDC codes) and ids, never the client's
 * address, never a header (cookies, authorization, API keys). An error keeps its type, code,
 * message and stack, with email addresses masked and a database's `detail` (which quotes the
 * values of a violated constraint, such as an address) left out. As a last net, any email address
 * in a logged text (message or field) is masked.
 */

const EMAIL_ADDRESS = /[^\s<>()[\]",;:@'`=]+@[^\s<>()[\]",;:@'`]+\.[^\s<>()[\]",;:@'`]+/g;
const maskAddresses = (text: string) => text.replace(EMAIL_ADDRESS, '***@***');

// Fields of driver errors that quote row values or statement parameters.
const DROPPED_ERROR_FIELDS = ['detail', 'parameters', 'where', 'internalQuery', 'hint'];

function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    route: request.routeOptions?.url ?? 'unmatched',
  };
}

function serializeResponse(reply: { statusCode: number }) {
  return { statusCode: reply.statusCode };
}

function serializeError(error: Error) {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const clean: { [key: string]: unknown; type: string; message: string; stack: string } = {
    type: '',
    message: '',
    stack: '',
  };
  for (const [key, value] of Object.entries(serialized)) {
    if (DROPPED_ERROR_FIELDS.includes(key)) continue;
    clean[key] = typeof value === 'string' ? maskAddresses(value) : value;
  }
  return clean;
}

/** The logger's serializers (Fastify `logger.serializers`). */
export const logSerializers = {
  req: serializeRequest,
  res: serializeResponse,
  err: serializeError,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function maskFields(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskAddresses(value);
  // Errors, requests and replies go to their serializers above; only plain data is walked here.
  if (depth > 3 || !isPlainObject(value)) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) masked[key] = maskFields(field, depth + 1);
  return masked;
}

/** The logger's formatters (pino `formatters`): every text field has its addresses masked. */
export const logFormatters = {
  log: (object: Record<string, unknown>) => maskFields(object, 0) as Record<string, unknown>,
};

/** The logger's hooks (pino `hooks`): messages have their addresses masked too. */
export const logHooks = {
  logMethod(this: unknown, args: Parameters<LogFn>, method: LogFn): void {
    const masked = args.map((arg) => (typeof arg === 'string' ? maskAddresses(arg) : arg));
    method.apply(this, masked as Parameters<LogFn>);
  },
};
