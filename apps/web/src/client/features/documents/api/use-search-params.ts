import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

const readSearch = () => window.location.search;

/**
 * The page's query string (`?dossier=…&q=…`), so that back, reload and a shared link keep the
 * folder and the search. The shell's router only tracks the path; a change here notifies through
 * `popstate`, which it listens to as well.
 */
export function useSearchParams(): [
  URLSearchParams,
  (next: Record<string, string | null>, replace?: boolean) => void,
] {
  const search = useSyncExternalStore(subscribe, readSearch);
  const params = new URLSearchParams(search);
  const update = (next: Record<string, string | null>, replace = false) => {
    const merged = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next)) {
      if (value) merged.set(key, value);
      else merged.delete(key);
    }
    const query = merged.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  };
  return [params, update];
}
