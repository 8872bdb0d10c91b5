import type { DbOrTx } from '../../../db/connection.ts';
import { findLiveAccessRows } from '../../client-space/client-access.repository.ts';
import { decideEntraContactBinding, type EntraIdentity, type EntraRefusal } from './entra-claims.ts';
import {
  bindContactToUser,
  findContactBoundToUser,
  findContactInvitedAs,
  touchContactSignIn,
} from './entra-contacts.repository.ts';

export type EntraContactSignIn =
  | { ok: true; contactId: string; boundNow: boolean }
  | { ok: false; reason: EntraRefusal };

/**
 * The client side of an Entra sign-in, inside the callback's transaction: the contact this
 * account already is, or the one Graph invited as its `oid` (bound now, invitation accepted).
 */
export async function signInEntraContact(
  tx: DbOrTx,
  input: { firmId: string; firmTenantId: string; identity: EntraIdentity; userId: string },
): Promise<EntraContactSignIn> {
  const { firmId, identity, userId } = input;
  const now = new Date();
  const found =
    (await findContactBoundToUser(tx, firmId, userId)) ??
    (await findContactInvitedAs(tx, firmId, identity.objectId));
  const contact = found && {
    ...found,
    hasLiveService: (await findLiveAccessRows(tx, { contactId: found.id, firmId })).length > 0,
  };
  const decision = decideEntraContactBinding({
    firmTenantId: input.firmTenantId,
    account: { tenantId: identity.tenantId, objectId: identity.objectId, userId, email: identity.email },
    contact,
  });
  switch (decision.kind) {
    case 'refused':
      return { ok: false, reason: decision.reason };
    case 'already_bound':
      await touchContactSignIn(tx, decision.contactId, now);
      return { ok: true, contactId: decision.contactId, boundNow: false };
    case 'bind':
      if (!(await bindContactToUser(tx, decision.contactId, userId, now)))
        return { ok: false, reason: 'bound_to_someone_else' };
      return { ok: true, contactId: decision.contactId, boundNow: true };
  }
}
