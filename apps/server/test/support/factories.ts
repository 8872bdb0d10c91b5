import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/connection.ts';
import { clientFiles, contacts, firms, staffMembers, users } from '../../src/db/schema/index.ts';
import type { StaffRole } from '../../src/policy.ts';
import type { TestApp } from './app.ts';

const uniq = () => randomBytes(4).toString('hex');

export async function createFirm(db: Db, values: Partial<typeof firms.$inferInsert> = {}) {
  const [firm] = await db
    .insert(firms)
    .values({ slug: `cabinet-${uniq()}`, name: `Cabinet ${uniq()}`, ...values })
    .returning();
  if (!firm) throw new Error('firm not created');
  return firm;
}

export async function createStaff(db: Db, firmId: string, role: StaffRole = 'administrateur') {
  const id = uniq();
  const [user] = await db
    .insert(users)
    .values({ issuer: 'https://idp.test', subject: `sub-${id}`, email: `staff-${id}@cabinet.test` })
    .returning();
  const [staff] = await db
    .insert(staffMembers)
    .values({
      firmId,
      userId: user?.id,
      email: `staff-${id}@cabinet.test`,
      firstName: 'Alex',
      lastName: `Staff${id}`,
      role,
    })
    .returning();
  if (!staff || !user) throw new Error('staff not created');
  return { staff, user };
}

export async function createFile(
  db: Db,
  firmId: string,
  values: Partial<typeof clientFiles.$inferInsert> = {},
) {
  const [file] = await db
    .insert(clientFiles)
    .values({ firmId, code: `F${uniq()}`, name: `Société ${uniq()}`, ...values })
    .returning();
  if (!file) throw new Error('file not created');
  return file;
}

/** A session as the callback creates it, to test routes behind sign-in without the browser. */
export async function signInAsStaff(t: TestApp, firmId: string, role: StaffRole = 'administrateur') {
  const { staff, user } = await createStaff(t.ctx.db, firmId, role);
  const session = await t.ctx.sessions.start({
    userId: user.id,
    firmId,
    kind: 'staff',
    principalId: staff.id,
  });
  return {
    staff,
    headers: { cookie: `${t.app.sessionCookieName}=${session.token}`, 'x-csrf-token': session.csrfToken },
  };
}

export async function createContact(
  db: Db,
  firmId: string,
  values: Partial<typeof contacts.$inferInsert> = {},
) {
  const id = uniq();
  const [contact] = await db
    .insert(contacts)
    .values({
      firmId,
      lastName: `Client${id}`,
      firstName: 'Camille',
      email: `client-${id}@exemple.fr`,
      ...values,
    })
    .returning();
  if (!contact) throw new Error('contact not created');
  return contact;
}

/** A client contact's session, bound to a provider identity, as the callback creates it. */
export async function signInAsClient(t: TestApp, firmId: string) {
  const id = uniq();
  const [user] = await t.ctx.db
    .insert(users)
    .values({ issuer: 'https://idp.test', subject: `client-${id}`, email: `client-${id}@exemple.fr` })
    .returning();
  if (!user) throw new Error('user not created');
  const contact = await createContact(t.ctx.db, firmId, {
    email: `client-${id}@exemple.fr`,
    userId: user.id,
  });
  const session = await t.ctx.sessions.start({
    userId: user.id,
    firmId,
    kind: 'client',
    principalId: contact.id,
  });
  return {
    contact,
    headers: { cookie: `${t.app.sessionCookieName}=${session.token}`, 'x-csrf-token': session.csrfToken },
  };
}
