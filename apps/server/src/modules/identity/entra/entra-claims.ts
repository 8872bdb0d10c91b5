import { entraIssuer } from './entra-tenant.ts';

/**
 * What an Entra ID token says about a person, and the rule that binds a guest to the contact
 * the firm invited. Pure functions: the callback and the tests use the same code.
 *
 * Entra's `sub` is pairwise (one value per application) and its e-mail is not a stable key;
 * the stable key is the tenant (`tid`) and the object id in it (`oid`). Passerelle keys users
 * on issuer `{login}/{tid}/v2.0` and subject `oid`.
 */

export interface EntraIdentity {
  issuer: string;
  subject: string;
  tenantId: string;
  objectId: string;
  email: string | null;
  /** Only Microsoft's `xms_edov` (e-mail domain owner verified) vouches for the e-mail. */
  emailVerified: boolean;
  displayName: string | null;
}

export type EntraClaimsOutcome =
  | { ok: true; identity: EntraIdentity }
  | { ok: false; reason: 'missing_tid_oid' | 'other_tenant' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export function entraIdentityFromClaims(
  claims: Record<string, unknown>,
  expected: { loginBaseUrl: string; tenantId: string },
): EntraClaimsOutcome {
  const tid = text(claims.tid);
  const oid = text(claims.oid);
  if (!tid || !oid || !GUID.test(tid) || !GUID.test(oid)) return { ok: false, reason: 'missing_tid_oid' };
  if (tid.toLowerCase() !== expected.tenantId.toLowerCase()) return { ok: false, reason: 'other_tenant' };
  const email = text(claims.email);
  const edov = claims.xms_edov;
  return {
    ok: true,
    identity: {
      issuer: entraIssuer(expected.loginBaseUrl, tid),
      subject: oid.toLowerCase(),
      tenantId: tid.toLowerCase(),
      objectId: oid.toLowerCase(),
      email,
      emailVerified: email !== null && (edov === true || edov === 'true' || edov === 1 || edov === '1'),
      displayName: text(claims.name),
    },
  };
}

/** A contact as the binding rule sees it. */
export interface EntraContactCandidate {
  id: string;
  email: string;
  /** Graph's `invitedUser.id`, stored when the invitation was sent. */
  externalId: string | null;
  userId: string | null;
  /** A proposed service on a file whose offer is active: without one, no access to give. */
  hasLiveService: boolean;
}

export type EntraBindingDecision =
  | { kind: 'already_bound'; contactId: string }
  | { kind: 'bind'; contactId: string }
  | { kind: 'refused'; reason: EntraRefusal };

export type EntraRefusal = 'other_tenant' | 'not_invited' | 'bound_to_someone_else' | 'no_live_service';

/**
 * May this Entra account act as this contact?
 * - only an account of the firm's tenant (`tid`) — any other tenant is refused;
 * - a contact already bound to this user: yes;
 * - an unbound contact: only when `oid` is the `invitedUser.id` Graph returned for them;
 * - and only while the contact has a live service (as for every client sign-in).
 * The e-mail is never enough: a guest account's e-mail proves nothing Graph did not invite.
 */
export function decideEntraContactBinding(input: {
  firmTenantId: string;
  account: { tenantId: string; objectId: string; userId: string; email: string | null };
  contact: EntraContactCandidate | undefined;
}): EntraBindingDecision {
  const { account, contact } = input;
  if (account.tenantId.toLowerCase() !== input.firmTenantId.toLowerCase())
    return { kind: 'refused', reason: 'other_tenant' };
  if (!contact) return { kind: 'refused', reason: 'not_invited' };
  if (contact.userId !== null && contact.userId !== account.userId)
    return { kind: 'refused', reason: 'bound_to_someone_else' };
  const invitedAsThisAccount =
    contact.externalId !== null && contact.externalId.toLowerCase() === account.objectId.toLowerCase();
  if (contact.userId === null && !invitedAsThisAccount) return { kind: 'refused', reason: 'not_invited' };
  if (!contact.hasLiveService) return { kind: 'refused', reason: 'no_live_service' };
  return contact.userId === null
    ? { kind: 'bind', contactId: contact.id }
    : { kind: 'already_bound', contactId: contact.id };
}
