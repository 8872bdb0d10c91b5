import type { ClientFileSummary } from '@passerelle/contracts/client-space';
import type { ClientSession } from '../../lib/session';

/** What every page of the client space receives from the shell. */
export interface ClientPageProps {
  session: ClientSession;
  /** The open file: the shell renders a page only when the contact may see one. */
  file: ClientFileSummary;
}
