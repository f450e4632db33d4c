import type { Problem } from './types';

export type ApiErrorKind = 'network' | 'not_found' | 'client' | 'server';

/** A failed API call: no answer at all (`network`) or an HTTP error with its problem details. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly code: string | null;

  constructor(kind: ApiErrorKind, status: number | null, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `API request failed (${status ?? kind})`);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = problem?.code ?? null;
  }
}

function kindOf(status: number): ApiErrorKind {
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server';
  return 'client';
}

async function readProblem(response: Response): Promise<Problem | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return (await response.json()) as Problem;
  } catch {
    return null;
  }
}

// The session's CSRF token (from GET /api/me or the sign-in answer). The API refuses unsafe
// requests of a signed-in browser without it; the readable cp_csrf cookie is the fallback.
let csrfToken: string | null = null;

/** Remembers (or, with null, forgets) the CSRF token sent with every unsafe request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function currentCsrfToken(): string | null {
  if (csrfToken) return csrfToken;
  const match = /(?:^|;\s*)cp_csrf=([^;]+)/.exec(
    typeof document === 'undefined' ? '' : document.cookie,
  );
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

async function request<T>(path: string, init: RequestInit, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', null, null);
  }
  if (!response.ok) {
    throw new ApiError(kindOf(response.status), response.status, await readProblem(response));
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    // A proxy or captive portal answering HTML instead of our JSON.
    throw new ApiError('server', response.status, null);
  }
}

/**
 * GETs a JSON resource from the API; resolves with the parsed body, rejects with ApiError
 * (network failure or HTTP error) or with the AbortError when `signal` aborts.
 */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { headers: { accept: 'application/json' } }, signal);
}

/**
 * POSTs `body` as JSON (with the session's x-csrf-token when known); resolves with the parsed
 * answer (undefined for 204 No Content), rejects with ApiError like getJson.
 */
export function postJson<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('POST', path, body, signal);
}

/** PATCHes `body` as JSON; answers and errors as postJson. */
export function patchJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('PATCH', path, body, signal);
}

function sendJson<T>(
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = currentCsrfToken();
  if (token) headers['x-csrf-token'] = token;
  return request<T>(
    path,
    { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) },
    signal,
  );
}
