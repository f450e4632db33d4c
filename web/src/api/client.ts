import type { Problem } from './types';

export type ApiErrorKind = 'network' | 'not_found' | 'client' | 'server';

/** A failed API call: no answer at all (`network`) or an HTTP error with its problem details. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly code: string | null;
  /** The fields the problem names (JSON pointers such as `/body/issuer`). */
  readonly fields: string[];
  /** The problem's per-field (or per-row) errors, if it listed any. */
  readonly errors: NonNullable<Problem['errors']>;
  /** The facts a refusal carries (e.g. `resetsAt` of a reached limit), when the API sends them. */
  readonly details: Record<string, unknown>;
  /** Seconds the answer's Retry-After header asks to wait (a cooldown, a rate limit), or null. */
  readonly retryAfterSeconds: number | null;

  constructor(
    kind: ApiErrorKind,
    status: number | null,
    problem: Problem | null,
    retryAfter: string | null = null,
  ) {
    super(problem?.detail ?? problem?.title ?? `API request failed (${status ?? kind})`);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = problem?.code ?? null;
    this.fields = problem?.errors?.map((error) => error.field) ?? [];
    this.errors = problem?.errors ?? [];
    this.details = problem?.details ?? {};
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    this.retryAfterSeconds = Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
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

// The session's CSRF token (from GET /api/me, GET /api/users/me or the sign-in answer). The API refuses unsafe
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

async function request<T>(
  path: string,
  init: RequestInit,
  signal?: AbortSignal,
  read: (response: Response) => Promise<T> = (response) => response.json() as Promise<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', null, null);
  }
  if (!response.ok) {
    throw new ApiError(
      kindOf(response.status),
      response.status,
      await readProblem(response),
      response.headers.get('retry-after'),
    );
  }
  if (response.status === 204) return undefined as T;
  try {
    return await read(response);
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

/** PATCHes `body` as JSON, like postJson. */
export function patchJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('PATCH', path, body, signal);
}

/** PUTs `body` as JSON, like postJson. */
export function putJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return sendJson<T>('PUT', path, body, signal);
}

/** DELETEs the resource at `path` (with the CSRF token), like postJson. */
export function deleteJson(path: string, signal?: AbortSignal): Promise<void> {
  return sendJson<void>('DELETE', path, undefined, signal);
}

/** Like postJson, with another unsafe method (PATCH to change, DELETE to remove…). */
export function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return request<T>(
    path,
    unsafeInit(
      method,
      'application/json',
      body === undefined ? undefined : { type: 'application/json', data: JSON.stringify(body) },
    ),
    signal,
  );
}

/** POSTs a file's contents (e.g. text/csv) and reads the JSON answer, like postJson. */
export function postFile<T>(path: string, file: Blob | string, type: string): Promise<T> {
  return request<T>(path, unsafeInit('POST', 'application/json', { type, data: file }));
}

/**
 * POSTs `body` as JSON and reads the answer as a file (e.g. a PDF), with the name the API
 * suggests (content-disposition) and its headers; rejects with ApiError like postJson.
 */
export function postForFile(
  path: string,
  body: unknown,
): Promise<{ blob: Blob; filename: string | null; headers: Headers }> {
  return request(
    path,
    unsafeInit('POST', '*/*', { type: 'application/json', data: JSON.stringify(body) }),
    undefined,
    async (response) => ({
      blob: await response.blob(),
      filename:
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null,
      headers: response.headers,
    }),
  );
}

/** An unsafe request with the session's x-csrf-token when known. */
function unsafeInit(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  accept: string,
  body?: { type: string; data: BodyInit },
): RequestInit {
  const headers: Record<string, string> = { accept };
  if (body) headers['content-type'] = body.type;
  const token = currentCsrfToken();
  if (token) headers['x-csrf-token'] = token;
  return { method, headers, ...(body && { body: body.data }) };
}

/**
 * POSTs a file's bytes (e.g. a photo) and reads the JSON answer, reporting upload progress
 * (0 to 1) as it goes; rejects with ApiError like postJson, or with the AbortError when `signal`
 * aborts. XMLHttpRequest, because fetch cannot tell how much of a body was sent.
 */
export function postFileWithProgress<T>(
  path: string,
  file: Blob,
  type: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(
      unsafeInit('POST', 'application/json', { type, data: file }).headers as Record<
        string,
        string
      >,
    )) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError('network', null, null));
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    xhr.onload = () => {
      const json = (xhr.getResponseHeader('content-type') ?? '').includes('json');
      let body: unknown = null;
      try {
        body = json ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (body === null) reject(new ApiError('server', xhr.status, null));
        else resolve(body as T);
        return;
      }
      reject(
        new ApiError(
          kindOf(xhr.status),
          xhr.status,
          body as Problem | null,
          xhr.getResponseHeader('retry-after'),
        ),
      );
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
