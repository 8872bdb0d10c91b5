import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/connection.ts';
import { contacts } from '../../../db/schema/index.ts';

/** The SQL of an Entra guest's sign-in as a client contact. */

const candidateColumns = {
  id: contacts.id,
  email: contacts.email,
  externalId: contacts.externalId,
  userId: contacts.userId,
};

export async function findContactBoundToUser(db: DbOrTx, firmId: string, userId: string) {
  const [row] = await db
    .select(candidateColumns)
    .from(contacts)
    .where(and(eq(contacts.firmId, firmId), eq(contacts.userId, userId)))
    .limit(1);
  return row;
}

/** The contact Graph invited as this object id (`invitedUser.id` = the guest's `oid`). */
export async function findContactInvitedAs(db: DbOrTx, firmId: string, objectId: string) {
  const [row] = await db
    .select(candidateColumns)
    .from(contacts)
    .where(and(eq(contacts.firmId, firmId), sql`lower(${contacts.externalId}) = lower(${objectId})`))
    .limit(1);
  return row;
}

/** Binds only if still unbound: two first sign-ins at once cannot both take the contact. */
export async function bindContactToUser(db: DbOrTx, contactId: string, userId: string, now: Date) {
  const [row] = await db
    .update(contacts)
    .set({
      userId,
      invitationState: 'accepted',
      invitationError: null,
      firstSignInAt: sql`coalesce(${contacts.firstSignInAt}, ${now.toISOString()}::timestamptz)`,
      lastSignInAt: now,
      updatedAt: now,
    })
    .where(and(eq(contacts.id, contactId), isNull(contacts.userId)))
    .returning({ id: contacts.id });
  return row !== undefined;
}

export async function touchContactSignIn(db: DbOrTx, contactId: string, now: Date) {
  await db.update(contacts).set({ lastSignInAt: now }).where(eq(contacts.id, contactId));
}
