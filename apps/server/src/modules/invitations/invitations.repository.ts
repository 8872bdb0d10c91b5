import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { idpAccounts, idpMemberships, invitations } from '../../db/schema/index.ts';

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

export async function markInvitationUsed(db: DbOrTx, id: string) {
  const [row] = await db
    .update(invitations)
    .set({ usedAt: new Date() })
    .where(and(eq(invitations.id, id), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
    .returning();
  return row;
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
