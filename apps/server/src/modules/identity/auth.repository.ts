import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import {
  authRequests,
  contacts,
  firms,
  identityProviders,
  staffMembers,
  users,
} from '../../db/schema/index.ts';

export type NewAuthRequest = typeof authRequests.$inferInsert;

export async function insertAuthRequest(db: DbOrTx, request: NewAuthRequest) {
  await db.insert(authRequests).values(request);
}

/** Single use: the row is deleted as it is read, so a replayed callback finds nothing. */
export async function takeAuthRequest(db: DbOrTx, state: string) {
  const [row] = await db.delete(authRequests).where(eq(authRequests.state, state)).returning();
  return row;
}

export async function deleteExpiredAuthRequests(db: DbOrTx, now: Date) {
  await db.delete(authRequests).where(lt(authRequests.expiresAt, now));
}

export async function upsertUser(
  db: DbOrTx,
  values: { issuer: string; subject: string; email: string | null; displayName: string | null; now: Date },
) {
  const [row] = await db
    .insert(users)
    .values({
      issuer: values.issuer,
      subject: values.subject,
      email: values.email,
      displayName: values.displayName,
      lastSignInAt: values.now,
    })
    .onConflictDoUpdate({
      target: [users.issuer, users.subject],
      set: { email: values.email, displayName: values.displayName, lastSignInAt: values.now },
    })
    .returning();
  if (!row) throw new Error('user upsert returned nothing');
  return row;
}

const staffWithFirm = {
  staff: staffMembers,
  firm: { id: firms.id, name: firms.name, slug: firms.slug, settings: firms.settings },
};

/** The staff membership already bound to this user (the oldest, if several firms). */
export async function findBoundStaff(db: DbOrTx, userId: string) {
  const [row] = await db
    .select(staffWithFirm)
    .from(staffMembers)
    .innerJoin(firms, eq(firms.id, staffMembers.firmId))
    .where(and(eq(staffMembers.userId, userId), eq(staffMembers.active, true)))
    .orderBy(asc(staffMembers.createdAt), asc(staffMembers.id))
    .limit(1);
  return row;
}

/**
 * An active, not yet bound staff member with this e-mail, in a firm whose people sign in at
 * this issuer (its own identity provider row, or none when it is the deployment's default).
 */
export async function findBindableStaff(db: DbOrTx, email: string, issuer: string, deploymentIssuer: string) {
  const [row] = await db
    .select(staffWithFirm)
    .from(staffMembers)
    .innerJoin(firms, eq(firms.id, staffMembers.firmId))
    .leftJoin(identityProviders, eq(identityProviders.firmId, staffMembers.firmId))
    .where(
      and(
        isNull(staffMembers.userId),
        eq(staffMembers.active, true),
        sql`lower(${staffMembers.email}) = lower(${email})`,
        issuer === deploymentIssuer
          ? or(isNull(identityProviders.id), eq(identityProviders.issuer, issuer))
          : eq(identityProviders.issuer, issuer),
      ),
    )
    .orderBy(asc(staffMembers.createdAt), asc(staffMembers.id))
    .limit(1);
  return row;
}

/** Binds only if still unbound: two first sign-ins at once cannot both take the row. */
export async function bindStaffToUser(db: DbOrTx, staffId: string, userId: string) {
  const [row] = await db
    .update(staffMembers)
    .set({ userId })
    .where(and(eq(staffMembers.id, staffId), isNull(staffMembers.userId)))
    .returning({ id: staffMembers.id });
  return row !== undefined;
}

export async function findStaffForSession(db: DbOrTx, staffId: string) {
  const [row] = await db
    .select(staffWithFirm)
    .from(staffMembers)
    .innerJoin(firms, eq(firms.id, staffMembers.firmId))
    .where(eq(staffMembers.id, staffId))
    .limit(1);
  return row;
}

export async function findContactForSession(db: DbOrTx, contactId: string) {
  const [row] = await db
    .select({ contact: contacts, firm: { id: firms.id, name: firms.name, slug: firms.slug } })
    .from(contacts)
    .innerJoin(firms, eq(firms.id, contacts.firmId))
    .where(eq(contacts.id, contactId))
    .limit(1);
  return row;
}

export async function findUserIssuer(db: DbOrTx, userId: string) {
  const [row] = await db.select({ issuer: users.issuer }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.issuer;
}
