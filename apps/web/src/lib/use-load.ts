import { startTransition, useCallback, useEffect, useRef, useState } from 'react';

export interface LoadState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads something once per `key` (the client space has no query cache). The previous data stays
 * on screen while the next key loads; a `null` key loads nothing.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): LoadState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(key !== null);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key or attempt means reading again
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    loadRef.current(controller.signal).then(
      // A transition: rendering what arrived yields to the browser instead of blocking it.
      (value) => {
        if (controller.signal.aborted) return;
        startTransition(() => {
          setData(value);
          setLoading(false);
        });
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        startTransition(() => {
          setError(cause);
          setLoading(false);
        });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload };
}
