import { ApiError } from '../../../api/client';

/**
 * Fetches an image the API serves to the signed-in staff member (the session cookie goes along)
 * and returns it as a Blob; rejects with ApiError, or the AbortError when `signal` aborts.
 */
export async function fetchImage(path: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', null, null);
  }
  if (!response.ok) {
    const kind =
      response.status === 404 ? 'not_found' : response.status >= 500 ? 'server' : 'client';
    throw new ApiError(kind, response.status, null);
  }
  return response.blob();
}
