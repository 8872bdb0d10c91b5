import { ApiError } from './api';
import { fetchSession } from './session';

/**
 * One file, one multipart request, over XMLHttpRequest: `fetch` cannot report upload progress.
 * Each file travels alone so that its progress and its result are its own, and a retry resends
 * only that file (the server deduplicates by checksum, so a retry after an interruption is safe).
 */
export interface UploadOptions {
  /** The multipart field the file goes in. */
  field?: string;
  /** 0 to 1, as the bytes leave the browser. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;

async function readCsrfToken(refresh: boolean): Promise<string> {
  if (csrfToken === null || refresh) csrfToken = (await fetchSession()).csrfToken;
  return csrfToken;
}

function send(url: string, file: File, token: string, options: UploadOptions): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new ApiError('NETWORK', 'network error', [], 0));
    xhr.ontimeout = () => reject(new ApiError('NETWORK', 'timeout', [], 0));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append(options.field ?? 'file', file, file.name);
    xhr.send(form);
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function toError(xhr: XMLHttpRequest, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error as { code: string; message?: unknown };
    return new ApiError(code, typeof message === 'string' ? message : code, [], xhr.status, details);
  }
  const code =
    xhr.status === 413 ? 'PAYLOAD_TOO_LARGE' : xhr.status >= 502 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
  return new ApiError(code, xhr.statusText || code, [], xhr.status);
}

/** Sends one file; resolves with the parsed JSON body, rejects with an `ApiError`. */
export async function uploadFile(url: string, file: File, options: UploadOptions = {}): Promise<unknown> {
  let xhr = await send(url, file, await readCsrfToken(false), options);
  let body = parseJson(xhr.responseText);
  if (xhr.status === 403 && toError(xhr, body).code === 'CSRF_FAILED') {
    // A new sign-in in another tab changed the token: read it again, once.
    options.onProgress?.(0);
    xhr = await send(url, file, await readCsrfToken(true), options);
    body = parseJson(xhr.responseText);
  }
  if (xhr.status === 401) {
    const returnTo = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    return new Promise<never>(() => {});
  }
  if (xhr.status < 200 || xhr.status >= 300) throw toError(xhr, body);
  return body;
}

/** One entry of a multipart answer's `results`, whatever shape the server gives its failure. */
export interface FileOutcome {
  ok: boolean;
  code: string | null;
  message: string | null;
  /** The rest of the entry (the stored document or piece, a duplicate's date…). */
  entry: Record<string, unknown>;
}

export function readOutcome(body: unknown): FileOutcome {
  const results = (body as { results?: unknown } | null)?.results;
  const first = Array.isArray(results) ? results[0] : body;
  const entry = (typeof first === 'object' && first !== null ? first : {}) as Record<string, unknown>;
  const error = (entry.error ?? null) as { code?: unknown; message?: unknown } | null;
  const code =
    typeof entry.code === 'string' ? entry.code : typeof error?.code === 'string' ? error.code : null;
  const message =
    typeof entry.message === 'string'
      ? entry.message
      : typeof error?.message === 'string'
        ? error.message
        : null;
  return { ok: entry.ok !== false && code === null, code, message, entry };
}
