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

/**
 * GETs a JSON resource from the API; resolves with the parsed body, rejects with ApiError
 * (network failure or HTTP error) or with the AbortError when `signal` aborts.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', null, null);
  }
  if (!response.ok) {
    throw new ApiError(kindOf(response.status), response.status, await readProblem(response));
  }
  try {
    return (await response.json()) as T;
  } catch {
    // A proxy or captive portal answering HTML instead of our JSON.
    throw new ApiError('server', response.status, null);
  }
}
