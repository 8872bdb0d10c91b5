import { useEffect, useState } from 'react';

/** A keyset page as the API sends it: pass `nextCursor` back to read the next one. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MorePages<T> {
  /** The first page's items, then every page read since, in order. */
  items: T[];
  /** True while there is a next page to read. */
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  moreError: unknown;
}

/**
 * The pages after a first one (read by `useLoad`), appended on demand ("Afficher plus"). A new
 * first page (another folder, a reload after a deposit) starts over from it.
 */
export function useMorePages<T>(
  first: KeysetPage<T> | undefined,
  fetchPage: (cursor: string) => Promise<KeysetPage<T>>,
): MorePages<T> {
  const [more, setMore] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => {
    setMore([]);
    setMoreError(null);
    setCursor(first?.nextCursor ?? null);
  }, [first]);

  const loadMore = () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    fetchPage(cursor).then(
      (page) => {
        setMore((items) => [...items, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (error: unknown) => {
        setMoreError(error);
        setLoadingMore(false);
      },
    );
  };

  return {
    items: [...(first?.items ?? []), ...more],
    hasMore: cursor !== null,
    loadMore,
    loadingMore,
    moreError,
  };
}
