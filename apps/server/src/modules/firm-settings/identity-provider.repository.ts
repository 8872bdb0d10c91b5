import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import {
  contacts,
  entraInvitationJobs,
  firms,
  identityProviders,
  invitations,
  sessions,
  staffMembers,
} from '../../db/schema/index.ts';

/** All SQL about where a firm's people sign in (the `identity_providers` row of the firm). */

export type IdentityProviderRow = typeof identityProviders.$inferSelect;

export async function findIdentityProvider(
  db: DbOrTx,
  firmId: string,
): Promise<IdentityProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.firmId, firmId))
    .limit(1);
  return row;
}

/** The provider rows at an issuer (sign-out needs the registration that issued the ID token). */
export async function findIdentityProviderByIssuer(db: DbOrTx, issuer: string) {
  const [row] = await db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.issuer, issuer))
    .orderBy(identityProviders.createdAt)
    .limit(1);
  return row;
}

export async function findFirmBySlug(db: DbOrTx, slug: string) {
  const [row] = await db
    .select({ id: firms.id, slug: firms.slug, name: firms.name })
    .from(firms)
    .where(eq(firms.slug, slug))
    .limit(1);
  return row;
}

export async function findFirmById(db: DbOrTx, firmId: string) {
  const [row] = await db
    .select({ id: firms.id, slug: firms.slug, name: firms.name })
    .from(firms)
    .where(eq(firms.id, firmId))
    .limit(1);
  return row;
}

export type IdentityProviderValues = Pick<
  typeof identityProviders.$inferInsert,
  'kind' | 'issuer' | 'clientId' | 'clientSecret' | 'tenantId'
>;

export async function upsertIdentityProvider(db: DbOrTx, firmId: string, values: IdentityProviderValues) {
  const [row] = await db
    .insert(identityProviders)
    .values({ firmId, ...values })
    .onConflictDoUpdate({ target: identityProviders.firmId, set: values })
    .returning();
  if (!row) throw new Error('identity provider upsert returned nothing');
  return row;
}

/**
 * The firm now signs in at another directory: identities of the old one mean nothing there.
 * Staff bind again at their next sign-in (verified e-mail), contacts are invited again when a
 * service is next proposed, live invitations (links and Graph jobs) are dropped, and the
 * firm's other sessions end.
 */
export async function resetIdentityBindings(db: DbOrTx, firmId: string, keepSessionIdHash: string | null) {
  const staff = await db
    .update(staffMembers)
    .set({ userId: null })
    .where(and(eq(staffMembers.firmId, firmId), sql`${staffMembers.userId} is not null`))
    .returning({ id: staffMembers.id });
  const people = await db
    .update(contacts)
    .set({
      userId: null,
      externalId: null,
      invitationState: 'none',
      invitationError: null,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(contacts.firmId, firmId),
        sql`(${contacts.userId} is not null or ${contacts.externalId} is not null or ${contacts.invitationState} <> 'none')`,
      ),
    )
    .returning({ id: contacts.id });
  await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.firmId, firmId),
        sql`${invitations.usedAt} is null and ${invitations.revokedAt} is null`,
      ),
    );
  await db
    .update(entraInvitationJobs)
    .set({ status: 'failed', lockedUntil: null, lastError: 'identity provider of the firm changed' })
    .where(
      and(
        eq(entraInvitationJobs.firmId, firmId),
        sql`${entraInvitationJobs.status} in ('pending', 'sending')`,
      ),
    );
  const ended = await db
    .delete(sessions)
    .where(
      keepSessionIdHash
        ? and(eq(sessions.firmId, firmId), ne(sessions.idHash, keepSessionIdHash))
        : eq(sessions.firmId, firmId),
    )
    .returning({ idHash: sessions.idHash });
  return { staffUnbound: staff.length, contactsReset: people.length, sessionsEnded: ended.length };
}
