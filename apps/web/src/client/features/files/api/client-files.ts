import type { ClientFileList, ClientFileSummary } from '@passerelle/contracts/client-space';
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { clientGet } from '../../../app/client-get';

export type { ClientFileSummary };

export type ClientFilesState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; files: ClientFileSummary[] };

/** While the space is open, the list is read again this often (access may be withdrawn). */
const RECHECK_MS = 60_000;

/**
 * The files the contact may see right now. The server re-checks access at each request; the
 * space asks again at each navigation, when the phone brings it back to the foreground, and
 * every minute, so that a withdrawn access shows as such without a reload.
 */
export function useClientFiles(
  enabled: boolean,
  pathname: string,
): ClientFilesState & { reload: () => void } {
  const [state, setState] = useState<ClientFilesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const hasData = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a navigation or a new attempt reads the list again
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    // A background check keeps the current list on screen; only the first read shows loading.
    if (!hasData.current)
      setState((current) => (current.status === 'loading' ? current : { status: 'loading' }));
    clientGet<ClientFileList>('/api/client/files', controller.signal).then(
      (list) => {
        hasData.current = true;
        startTransition(() => setState({ status: 'ready', files: list.items }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (!hasData.current) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [enabled, pathname, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (!enabled) return;
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, RECHECK_MS);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.clearInterval(timer);
    };
  }, [enabled, reload]);

  return { ...state, reload };
}
