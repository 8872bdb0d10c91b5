import type { SessionResponse } from '@passerelle/contracts/session';
import { startTransition, useCallback, useEffect, useState } from 'react';
import { rememberCsrfToken } from '../../../../lib/api';
import type { ClientSession } from '../../../../lib/session';
import { clientGet } from '../../../app/client-get';

type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; session: ClientSession };

/** Who is signed in. The client space has no query cache: the session is read once per visit. */
export function useClientSession(): SessionState & { reload: () => void } {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt means reading the session again
  useEffect(() => {
    const controller = new AbortController();
    // Already loading on the first read: keeping the same state spares a render.
    setState((current) => (current.status === 'loading' ? current : { status: 'loading' }));
    clientGet<SessionResponse>('/api/session', controller.signal).then(
      (session) => {
        rememberCsrfToken(session.csrfToken);
        if (session.kind === 'client') startTransition(() => setState({ status: 'ready', session }));
        // Firm staff opening the client space belong in the back office.
        else window.location.replace('/portefeuille');
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
