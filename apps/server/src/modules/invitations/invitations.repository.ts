import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { contacts, firms, idpAccounts, idpMemberships, invitations } from '../../db/schema/index.ts';

export type Invitation = typeof invitations.$inferSelect;

export async function insertInvitation(db: DbOrTx, values: typeof invitations.$inferInsert) {
  const [row] = await db.insert(invitations).values(values).returning();
  return row;
}

/** Live invitations of a contact are revoked when a new one is sent: one valid link at a time. */
export async function revokeLiveInvitations(db: DbOrTx, contactId: string) {
  await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(invitations.contactId, contactId), isNull(invitations.usedAt), isNull(invitations.revokedAt)),
    );
}

export async function findInvitationByHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
  return row;
}

/** The invitation behind a link, with what its pages show: the firm and the invited contact. */
export async function findInvitationForPage(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      invitation: invitations,
      firm: { id: firms.id, name: firms.name },
      contact: {
        id: contacts.id,
        email: contacts.email,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        userId: contacts.userId,
        invitationState: contacts.invitationState,
      },
    })
    .from(invitations)
    .innerJoin(firms, eq(firms.id, invitations.firmId))
    .innerJoin(contacts, eq(contacts.id, invitations.contactId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/**
 * Single use, decided by the database: of two acceptances at once, one gets the row back,
 * the other nothing. Expired or revoked links are never claimed.
 */
export async function claimInvitation(db: DbOrTx, id: string) {
  const [row] = await db
    .update(invitations)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(invitations.id, id),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

/** When the contact's newest invitation was issued (renewals are spaced out). */
export async function latestInvitationAt(db: DbOrTx, contactId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ createdAt: invitations.createdAt })
    .from(invitations)
    .where(eq(invitations.contactId, contactId))
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  return row?.createdAt;
}

export async function markContactAccepted(db: DbOrTx, contactId: string) {
  await db
    .update(contacts)
    .set({ invitationState: 'accepted', invitationError: null, updatedAt: new Date() })
    .where(eq(contacts.id, contactId));
}

export async function markContactInvited(db: DbOrTx, contactId: string) {
  await db
    .update(contacts)
    .set({ invitationState: 'invited', invitationError: null, updatedAt: new Date() })
    .where(eq(contacts.id, contactId));
}

/** Embedded directory: is there an account with this e-mail in the firm's organization? */
export async function isEmbeddedMember(db: DbOrTx, firmId: string, email: string) {
  const [row] = await db
    .select({ id: idpAccounts.id })
    .from(idpAccounts)
    .innerJoin(idpMemberships, eq(idpMemberships.accountId, idpAccounts.id))
    .where(and(eq(idpMemberships.firmId, firmId), sql`lower(${idpAccounts.email}) = lower(${email})`))
    .limit(1);
  return row !== undefined;
}

/** A link already sent and still usable: a second proposal must not invalidate it. */
export async function hasLiveInvitation(db: DbOrTx, contactId: string, now = new Date()) {
  const [row] = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.contactId, contactId),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .limit(1);
  return row !== undefined;
}
