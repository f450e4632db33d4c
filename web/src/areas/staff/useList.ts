import { useCallback, useEffect, useState } from 'react';
import { ApiError, getJson } from '../../api/client';
import type { ResourceState } from '../../api/useApiResource';

/** Loads a personal list from the API (never cached); `reload` fetches it again after a change. */
export function useFreshResource<T>(
  path: string | null,
): ResourceState<T> & { reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    // `attempt` is read so that reload() runs this again.
    if (attempt === 0) setState({ status: 'loading' });
    getJson<T>(path, controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('network', null, null),
        });
      },
    );
    return () => controller.abort();
  }, [path, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
