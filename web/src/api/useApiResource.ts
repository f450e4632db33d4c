import { useCallback, useEffect, useState } from 'react';
import { ApiError, getJson } from './client';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

// Answers already fetched in this visit, so going back to a page shows it at once.
const cache = new Map<string, unknown>();

/**
 * Loads `path` from the API and tracks loading, error and ready states; `retry` loads again.
 * Public data is kept for the visit; personal data (`cache: false`) is fetched every time.
 */
export function useApiResource<T>(
  path: string,
  { cache: useCache = true }: { cache?: boolean } = {},
): ResourceState<T> & { retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<ResourceState<T>>(() =>
    useCache ? initialState<T>(path) : { status: 'loading' },
  );

  useEffect(() => {
    // `attempt` is read so that retry() re-runs this effect.
    if (useCache && attempt === 0 && cache.has(path)) {
      setState({ status: 'ready', data: cache.get(path) as T });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    getJson<T>(path, controller.signal).then(
      (data) => {
        if (useCache) cache.set(path, data);
        setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('network', null, null),
        });
      },
    );
    return () => controller.abort();
  }, [path, attempt, useCache]);

  const retry = useCallback(() => {
    cache.delete(path);
    setAttempt((n) => n + 1);
  }, [path]);

  return { ...state, retry };
}

function initialState<T>(path: string): ResourceState<T> {
  return cache.has(path) ? { status: 'ready', data: cache.get(path) as T } : { status: 'loading' };
}
