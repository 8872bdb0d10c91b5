import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/connection.ts';
import { firms, idpAccounts, idpMemberships } from '../../../db/schema/index.ts';

export type IdpAccount = typeof idpAccounts.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<IdpAccount | undefined> {
  const [row] = await db
    .select()
    .from(idpAccounts)
    .where(sql`lower(${idpAccounts.email}) = lower(${email})`)
    .limit(1);
  return row;
}

export async function findAccountById(db: DbOrTx, id: string): Promise<IdpAccount | undefined> {
  // `sub` comes from tokens and cookies: anything that is not a uuid is simply unknown.
  if (!UUID.test(id)) return undefined;
  const [row] = await db.select().from(idpAccounts).where(eq(idpAccounts.id, id)).limit(1);
  return row;
}

/** The firms (organizations) an account belongs to, oldest membership first. */
export async function listAccountFirms(db: DbOrTx, accountId: string) {
  return db
    .select({ id: firms.id, name: firms.name })
    .from(idpMemberships)
    .innerJoin(firms, eq(firms.id, idpMemberships.firmId))
    .where(eq(idpMemberships.accountId, accountId))
    .orderBy(asc(idpMemberships.joinedAt));
}

/** A new account of the directory; undefined when one already holds this e-mail (any case). */
export async function insertAccount(
  db: DbOrTx,
  values: {
    email: string;
    emailVerified: boolean;
    givenName: string;
    familyName: string;
    passwordHash: string;
  },
): Promise<IdpAccount | undefined> {
  const [row] = await db.insert(idpAccounts).values(values).onConflictDoNothing().returning();
  return row;
}

export async function markEmailVerified(db: DbOrTx, accountId: string) {
  await db
    .update(idpAccounts)
    .set({ emailVerified: true })
    .where(and(eq(idpAccounts.id, accountId), eq(idpAccounts.emailVerified, false)));
}

/** Joins the firm's organization; joining twice changes nothing. */
export async function addMembership(db: DbOrTx, accountId: string, firmId: string) {
  await db.insert(idpMemberships).values({ accountId, firmId }).onConflictDoNothing();
}
