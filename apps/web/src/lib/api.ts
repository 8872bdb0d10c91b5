import type { ErrorBody, ErrorCode } from '@passerelle/contracts/errors';

/** The API refused or could not be reached. `code` is one of the contract's codes, or NETWORK. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ErrorCode | 'NETWORK' | (string & {}),
    message: string,
    readonly fields: NonNullable<ErrorBody['error']['fields']>,
    readonly status: number,
    /** Anything else the error body carried (e.g. the import's line-by-line `report`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (a file chosen by the person), with its content type; never read into memory here. */
  raw?: { body: Blob; contentType: string };
  signal?: AbortSignal;
}

const safeMethods = new Set(['GET', 'HEAD']);
let csrfToken: string | null = null;

/** The session endpoint hands out the CSRF token; whoever reads the session records it here. */
export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

async function ensureCsrfToken(signal?: AbortSignal): Promise<string> {
  if (csrfToken !== null) return csrfToken;
  const session = await apiRequest<{ csrfToken: string }>('GET', '/api/session', { signal });
  csrfToken = session.csrfToken;
  return csrfToken;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function redirectToLogin(): Promise<never> {
  const returnTo = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  // The page is leaving: stay pending so no error state flashes before the sign-in page.
  return new Promise<never>(() => {});
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code: unknown }).code === 'string';
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page, an empty body…: fall back on the status.
  }
  if (isErrorBody(body)) {
    const { code, message, fields, ...details } = body.error;
    return new ApiError(code, message, fields ?? [], response.status, details);
  }
  const code = response.status === 503 || response.status === 502 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
  return new ApiError(code, response.statusText || code, [], response.status);
}

/** JSON over fetch with the session cookie; failures become an `ApiError`. */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.raw) headers['content-type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!safeMethods.has(method)) headers['x-csrf-token'] = await ensureCsrfToken(options.signal);

  return readApiResponse<T>(
    fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ? options.raw.body : options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    }),
  );
}

/**
 * The API's answer to a request already sent (by `apiRequest`, or started early by the client
 * space's entry script): JSON, or an `ApiError`; a 401 leaves for the sign-in page.
 */
export async function readApiResponse<T>(sent: Promise<Response>): Promise<T> {
  let response: Response;
  try {
    response = await sent;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('NETWORK', cause instanceof Error ? cause.message : 'network error', [], 0);
  }

  if (response.status === 401) return redirectToLogin();
  if (!response.ok) {
    const error = await toApiError(response);
    // The session's token may have changed (new sign-in in another tab): read it again next time.
    if (error.code === 'CSRF_FAILED') csrfToken = null;
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    apiRequest<T>('POST', path, { ...options, body }),
  postRaw: <T>(
    path: string,
    raw: Blob,
    contentType: string,
    options?: Omit<RequestOptions, 'body' | 'raw'>,
  ) => apiRequest<T>('POST', path, { ...options, raw: { body: raw, contentType } }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    apiRequest<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    apiRequest<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => apiRequest<T>('DELETE', path, options),
};
