import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { contacts, identityProviders } from '../../db/schema/index.ts';

/**
 * Unbound contacts this person may be bound to at this sign-in: same e-mail (the provider
 * vouched for it) or same provider account id recorded at invitation (`externalId`), in a
 * firm whose people sign in at this issuer (its own provider row, or none when it is the
 * deployment's), and in a firm where this person is not already
 * bound to another contact (one contact per person and firm).
 */
export async function findBindableContacts(
  db: DbOrTx,
  input: {
    userId: string;
    issuer: string;
    /** Firms without their own provider row sign in at the deployment's issuer. */
    deploymentIssuer: string;
    verifiedEmail: string | null;
    externalId: string | null;
  },
) {
  const match = or(
    input.verifiedEmail ? sql`lower(${contacts.email}) = lower(${input.verifiedEmail})` : undefined,
    input.externalId ? sql`lower(${contacts.externalId}) = lower(${input.externalId})` : undefined,
  );
  if (!match) return [];
  return db
    .select({ id: contacts.id, firmId: contacts.firmId })
    .from(contacts)
    .leftJoin(identityProviders, eq(identityProviders.firmId, contacts.firmId))
    .where(
      and(
        isNull(contacts.userId),
        match,
        input.issuer === input.deploymentIssuer
          ? or(isNull(identityProviders.id), eq(identityProviders.issuer, input.issuer))
          : eq(identityProviders.issuer, input.issuer),
        sql`not exists (select 1 from ${contacts} bound where bound.firm_id = ${contacts.firmId} and bound.user_id = ${input.userId})`,
      ),
    )
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** Binds only if still unbound: the first sign-in wins, a later one finds the row taken. */
export async function bindContactToUser(db: DbOrTx, contactId: string, userId: string) {
  const [row] = await db
    .update(contacts)
    .set({ userId, updatedAt: new Date() })
    .where(and(eq(contacts.id, contactId), isNull(contacts.userId)))
    .returning({ id: contacts.id });
  return row !== undefined;
}

/** The contacts already bound to this person (one per firm at most), oldest first. */
export async function listBoundContacts(db: DbOrTx, userId: string) {
  return db
    .select({ id: contacts.id, firmId: contacts.firmId })
    .from(contacts)
    .where(eq(contacts.userId, userId))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** First sign-in once, last sign-in every time: the firm's widget shows both. */
export async function recordContactSignIn(db: DbOrTx, contactId: string, now: Date) {
  await db
    .update(contacts)
    .set({ firstSignInAt: sql`coalesce(${contacts.firstSignInAt}, ${now})`, lastSignInAt: now })
    .where(eq(contacts.id, contactId));
}
