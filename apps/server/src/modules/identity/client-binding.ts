import type { DbOrTx } from '../../db/connection.ts';
import { findLiveAccessRows } from '../client-space/client-access.repository.ts';
import * as repo from './client-binding.repository.ts';

export interface ClientSignInInput {
  userId: string;
  issuer: string;
  deploymentIssuer: string;
  email: string | null;
  /** Only `email_verified === true` from the provider counts. */
  emailVerified: boolean;
  /**
   * A provider account id the firm recorded when it invited the contact (Entra's
   * `invitedUser.id`, later the `oid` claim). Binds like a verified e-mail would.
   */
  externalId?: string | null;
}

export interface ClientSignIn {
  contactId: string;
  firmId: string;
  boundAtThisSignIn: boolean;
}

const hasLiveAccess = async (db: DbOrTx, contact: { id: string; firmId: string }, userId: string) =>
  (await findLiveAccessRows(db, { contactId: contact.id, firmId: contact.firmId, userId })).length > 0;

/**
 * The client contact a person signs in as, or null ("Aucun accès").
 *
 * A contact is bound to a person (users: issuer, subject) once: at the first sign-in where the
 * provider asserts the contact's e-mail verified (or presents the invited account id) while the
 * contact has a live service. From then on only (issuer, subject) counts: the person keeps access
 * when their e-mail changes at the provider, and whoever later holds that e-mail address gets
 * nothing, since the contact is no longer unbound. Unbound contacts of other firms that invite
 * the same person later are bound the same way at a later sign-in.
 *
 * When several contacts (of several firms) have access, the oldest binding is used; choosing a
 * firm comes later, as for staff.
 */
export async function findClientToSignIn(db: DbOrTx, input: ClientSignInInput): Promise<ClientSignIn | null> {
  const verifiedEmail = input.emailVerified && input.email ? input.email : null;
  const boundNow = new Set<string>();
  if (verifiedEmail || input.externalId) {
    const candidates = await repo.findBindableContacts(db, {
      userId: input.userId,
      issuer: input.issuer,
      deploymentIssuer: input.deploymentIssuer,
      verifiedEmail,
      externalId: input.externalId ?? null,
    });
    const firmsDone = new Set<string>();
    for (const candidate of candidates) {
      if (firmsDone.has(candidate.firmId)) continue;
      // Access is checked as if bound: the same rule, minus the binding itself.
      const live =
        (await findLiveAccessRows(db, { contactId: candidate.id, firmId: candidate.firmId })).length > 0;
      if (!live) continue;
      if (await repo.bindContactToUser(db, candidate.id, input.userId)) {
        boundNow.add(candidate.id);
        firmsDone.add(candidate.firmId);
      }
    }
  }
  for (const contact of await repo.listBoundContacts(db, input.userId)) {
    if (await hasLiveAccess(db, contact, input.userId)) {
      return { contactId: contact.id, firmId: contact.firmId, boundAtThisSignIn: boundNow.has(contact.id) };
    }
  }
  return null;
}

export const recordClientSignIn = repo.recordContactSignIn;
