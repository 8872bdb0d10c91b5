import { readRememberedFile } from '../features/files/api/selected-file';

/**
 * The client space's first API reads, sent by the entry script while React and the pages are
 * still downloading, instead of one after the other once they have run: who is signed in and
 * which files they see, together; then, as soon as both are known, what the page opened needs
 * for the file the space will open (the one remembered on this device, else the first).
 *
 * This module imports nothing heavy (it runs before React is even loaded) and only starts
 * fetches: each answer is read, once, by the code that would otherwise have asked
 * (`takeEarlyResponse`), through the same error handling as any API call. An answer nobody takes
 * within `maxAgeMs` is dropped, so a page opened later always reads afresh.
 */

interface Started {
  at: number;
  response: Promise<Response>;
}

const started = new Map<string, Started>();
const maxAgeMs = 10_000;

function start(path: string): Promise<Response> {
  const response = fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  // Whoever takes it handles failures; one nobody takes must not surface as unhandled.
  response.catch(() => {});
  started.set(path, { at: performance.now(), response });
  return response;
}

/** The answer to a GET of `path` sent at start-up, if one was and is still fresh; only once. */
export function takeEarlyResponse(path: string): Promise<Response> | undefined {
  const entry = started.get(path);
  started.delete(path);
  if (!entry || performance.now() - entry.at > maxAgeMs) return undefined;
  return entry.response;
}

/** A copy of a JSON answer for the look-ahead here, leaving the body for whoever takes it. */
async function peek<T>(response: Promise<Response>): Promise<T | null> {
  try {
    const answer = await response;
    return answer.ok ? ((await answer.clone().json()) as T) : null;
  } catch {
    return null;
  }
}

interface SessionPeek {
  kind: string;
  user?: { contactId?: string };
}
interface FilesPeek {
  items: { id: string; capabilities: string[] }[];
}

/** The reads the page at `pathname` makes for the open file (its first screen only). */
function pageReads(pathname: string, search: URLSearchParams, file: FilesPeek['items'][number]): string[] {
  const base = `/api/client/files/${file.id}`;
  if (pathname === '/espace') return [`${base}/dashboard`, `${base}/figures`];
  if (pathname === '/espace/documents' && !search.get('q') && file.capabilities.includes('ged.read'))
    return [`${base}/ged/folders`];
  return [];
}

export function startEarlyRequests(location: Location): void {
  const pathname = location.pathname.replace(/(.)\/$/, '$1');
  if (pathname !== '/espace' && !pathname.startsWith('/espace/')) return;
  const session = peek<SessionPeek>(start('/api/session'));
  const files = peek<FilesPeek>(start('/api/client/files'));
  void Promise.all([session, files]).then(([who, list]) => {
    const contactId = who?.kind === 'client' ? who.user?.contactId : undefined;
    if (!contactId || !list) return;
    const rememberedId = readRememberedFile(contactId)?.id;
    // The choice useSelectedFile makes; if it makes another, these answers are simply not used.
    const file = list.items.find((item) => item.id === rememberedId) ?? (rememberedId ? null : list.items[0]);
    if (!file) return;
    for (const path of pageReads(pathname, new URLSearchParams(location.search), file)) start(path);
  });
}
