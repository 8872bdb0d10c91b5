import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findLiveAccessRows } from '../client-space/client-access.repository.ts';
import {
  addMembership,
  findAccountByEmail,
  insertAccount,
  markEmailVerified,
} from '../identity/embedded/accounts.repository.ts';
import { checkNewPassword, PASSWORD_MESSAGES } from '../identity/embedded/password-policy.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../identity/embedded/passwords.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { invitationMail } from '../services/services.mails.ts';
import type { AccountField, UnavailableState } from './invitations.pages.ts';
import * as repo from './invitations.repository.ts';

/** Links are `randomToken()` (43 base64url characters); anything else is unknown at once. */
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;
/** A contact gets at most one fresh link in this time, however often it is asked for. */
const RENEWAL_COOLDOWN_MS = 10 * 60_000;

type Found = NonNullable<Awaited<ReturnType<typeof repo.findInvitationForPage>>>;

export type InvitationLookup =
  | { state: 'valid'; invitation: Found['invitation']; firm: Found['firm']; contact: Found['contact'] }
  | { state: UnavailableState };

export type AcceptOutcome =
  | { kind: 'accepted'; firmName: string; email: string }
  | { kind: 'unavailable'; state: UnavailableState }
  | { kind: 'has_account' }
  | { kind: 'no_account' }
  | { kind: 'wrong_password' }
  | {
      kind: 'invalid';
      errors: Partial<Record<AccountField, string[]>>;
      values: { firstName: string; lastName: string };
    };

export interface NewAccountInput {
  firstName: string;
  lastName: string;
  password: string;
  passwordConfirmation: string;
}

/** Rolls the claim back when the account appeared meanwhile (another tab, another device). */
class AccountAppeared extends Error {}

/**
 * Invitations to join a firm's organization at the embedded provider: the link's page, its
 * acceptance (with a new account or an existing one) and a fresh link for a spent one.
 */
export function createInvitationsService(ctx: AppContext, mail: MailModule) {
  const { db, config } = ctx;
  const audited = (origin: RequestOrigin): RequestOrigin => ({ ...origin, actor: { type: 'anonymous' } });

  async function lookup(token: string): Promise<InvitationLookup> {
    if (!TOKEN.test(token)) return { state: 'unknown' };
    const row = await repo.findInvitationForPage(db, sha256(token));
    if (!row) return { state: 'unknown' };
    const { invitation } = row;
    if (invitation.usedAt) return { state: 'used' };
    if (invitation.revokedAt) return { state: 'revoked' };
    if (invitation.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
    // The firm corrected the contact's e-mail since: the link was sent to another address.
    if (invitation.email.toLowerCase() !== row.contact.email.toLowerCase()) return { state: 'revoked' };
    return { state: 'valid', ...row };
  }

  /** Claims the link and joins the organization, in one transaction with its audit entry. */
  async function join(
    found: Extract<InvitationLookup, { state: 'valid' }>,
    origin: RequestOrigin,
    account: (tx: DbOrTx) => Promise<{ id: string; created: boolean }>,
  ): Promise<AcceptOutcome> {
    try {
      return await db.transaction(async (tx) => {
        const claimed = await repo.claimInvitation(tx, found.invitation.id);
        if (!claimed) return { kind: 'unavailable', state: 'used' } as const;
        const { id: accountId, created } = await account(tx);
        await addMembership(tx, accountId, found.firm.id);
        // The person read the mail sent to this address: it is theirs.
        await markEmailVerified(tx, accountId);
        await repo.markContactAccepted(tx, found.contact.id);
        await recordAudit(tx, audited(origin), {
          action: 'invitation.accepted',
          firmId: found.firm.id,
          targetType: 'contact',
          targetId: found.contact.id,
          details: { invitationId: found.invitation.id, idpAccountId: accountId, accountCreated: created },
        });
        return { kind: 'accepted', firmName: found.firm.name, email: found.invitation.email } as const;
      });
    } catch (err) {
      if (err instanceof AccountAppeared) return { kind: 'has_account' };
      throw err;
    }
  }

  return {
    lookup,

    /** « Accepter »: does the invited e-mail already have an account (sign in) or not (create)? */
    async accept(token: string) {
      const found = await lookup(token);
      if (found.state !== 'valid') return found;
      const account = await findAccountByEmail(db, found.invitation.email);
      return { ...found, hasAccount: account !== undefined };
    },

    /** « Créez-en-un »: the account, with the e-mail the invitation proves, joins at once. */
    async acceptWithNewAccount(token: string, input: NewAccountInput, origin: RequestOrigin) {
      const found = await lookup(token);
      if (found.state !== 'valid') return { kind: 'unavailable', state: found.state } as const;
      const email = found.invitation.email;
      if (await findAccountByEmail(db, email)) return { kind: 'has_account' } as const;

      const values = { firstName: input.firstName.trim(), lastName: input.lastName.trim() };
      const errors: Partial<Record<AccountField, string[]>> = {};
      if (!values.firstName) errors.firstName = ['Indiquez votre prénom.'];
      else if (values.firstName.length > 100) errors.firstName = ['Le prénom est trop long.'];
      if (!values.lastName) errors.lastName = ['Indiquez votre nom.'];
      else if (values.lastName.length > 100) errors.lastName = ['Le nom est trop long.'];
      for (const problem of checkNewPassword({
        password: input.password,
        confirmation: input.passwordConfirmation,
        email,
      })) {
        const field: AccountField = problem === 'mismatch' ? 'passwordConfirmation' : 'password';
        errors[field] = [...(errors[field] ?? []), PASSWORD_MESSAGES[problem]];
      }
      if (Object.keys(errors).length > 0) return { kind: 'invalid', errors, values } as const;

      const passwordHash = await hashPassword(input.password);
      return join(found, origin, async (tx) => {
        const created = await insertAccount(tx, {
          email,
          emailVerified: true,
          givenName: values.firstName,
          familyName: values.lastName,
          passwordHash,
        });
        if (!created) throw new AccountAppeared();
        return { id: created.id, created: true };
      });
    },

    /** An existing account: its password proves the person; then they join the organization. */
    async acceptWithExistingAccount(token: string, password: string, origin: RequestOrigin) {
      const found = await lookup(token);
      if (found.state !== 'valid') return { kind: 'unavailable', state: found.state } as const;
      const account = await findAccountByEmail(db, found.invitation.email);
      const ok = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), password);
      if (!account) return { kind: 'no_account' } as const;
      if (!ok) return { kind: 'wrong_password' } as const;
      return join(found, origin, async () => ({ id: account.id, created: false }));
    },

    /**
     * A fresh link for a spent one (used, expired, revoked), sent to the contact's e-mail, only
     * while the contact still has a live service and has not joined. The caller answers the
     * same page whatever happens here.
     */
    async renew(token: string, origin: RequestOrigin): Promise<void> {
      if (!TOKEN.test(token)) return;
      const row = await repo.findInvitationForPage(db, sha256(token));
      if (!row) return;
      const { contact, firm } = row;
      if (contact.userId !== null || contact.invitationState === 'accepted') return;
      if (await repo.isEmbeddedMember(db, firm.id, contact.email)) return;
      if ((await findLiveAccessRows(db, { contactId: contact.id, firmId: firm.id })).length === 0) return;
      const latest = await repo.latestInvitationAt(db, contact.id);
      if (latest && Date.now() - latest.getTime() < RENEWAL_COOLDOWN_MS) return;

      const fresh = randomToken();
      const expiresAt = new Date(Date.now() + config.invitationTtlMs);
      await db.transaction(async (tx) => {
        await repo.revokeLiveInvitations(tx, contact.id);
        const invitation = await repo.insertInvitation(tx, {
          firmId: firm.id,
          contactId: contact.id,
          email: contact.email,
          tokenHash: sha256(fresh),
          expiresAt,
        });
        await repo.markContactInvited(tx, contact.id);
        await mail.outbox.enqueue(
          tx,
          invitationMail({
            firmId: firm.id,
            firmName: firm.name,
            to: contact.email,
            firstName: contact.firstName,
            url: `${config.publicUrl}/invitation/${fresh}`,
            expiresAt,
          }),
        );
        await recordAudit(tx, audited(origin), {
          action: 'invitation.renewed',
          firmId: firm.id,
          targetType: 'contact',
          targetId: contact.id,
          details: { invitationId: invitation?.id, previousInvitationId: row.invitation.id },
        });
      });
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
