import type { DbOrTx } from '../../../db/connection.ts';
import { insertGraphInvitation } from './graph-invitations.repository.ts';

/**
 * Where Microsoft sends a guest after they redeem the invitation: Passerelle's sign-in for
 * this firm, marked as a first sign-in so the relying party asks Entra for consent, then the
 * client space.
 */
export function firstSignInUrl(publicUrl: string, firmSlug: string): string {
  return `${publicUrl}/auth/login?firm=${encodeURIComponent(firmSlug)}&first=1&returnTo=%2Fespace`;
}

/**
 * Queues the Graph invitation of a contact, in the caller's transaction (the proposal's):
 * it exists only if the proposal commits. A live job for the contact already covers it.
 */
export async function queueGuestInvitation(
  tx: DbOrTx,
  input: {
    publicUrl: string;
    firm: { id: string; slug: string };
    contact: { id: string; email: string; firstName: string; lastName: string };
    requestedBy: string | null;
  },
) {
  const displayName = `${input.contact.firstName} ${input.contact.lastName}`.trim();
  return insertGraphInvitation(tx, {
    firmId: input.firm.id,
    contactId: input.contact.id,
    email: input.contact.email,
    displayName: displayName || null,
    inviteRedirectUrl: firstSignInUrl(input.publicUrl, input.firm.slug),
    requestedBy: input.requestedBy,
  });
}
