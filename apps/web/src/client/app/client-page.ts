import type { ClientSession } from '../../lib/session';

/** What every page of the client space receives from the shell. */
export interface ClientPageProps {
  session: ClientSession;
}
