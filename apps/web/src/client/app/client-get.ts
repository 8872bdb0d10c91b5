import { api, readApiResponse } from '../../lib/api';
import { takeEarlyResponse } from './early-requests';

/**
 * A GET of the client API: the answer the entry script already asked for at start-up when there
 * is one (see early-requests.ts), else a request now. Errors are the same `ApiError`s either way.
 */
export function clientGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const early = takeEarlyResponse(path);
  return early ? readApiResponse<T>(early) : api.get<T>(path, signal ? { signal } : {});
}
