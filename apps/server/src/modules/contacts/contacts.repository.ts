import { and, asc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import {
  clientFiles,
  collaborativeServices,
  contactFiles,
  contacts,
  fileOffers,
  offers,
  orgRoles,
} from '../../db/schema/index.ts';
import { likeEscape } from '../../lib/sql.ts';

const contactColumns = {
  contact: contacts,
  roleId: orgRoles.id,
  roleName: orgRoles.name,
  roleRetiredAt: orgRoles.retiredAt,
  fileCount: sql<number>`(select count(*)::int from ${contactFiles} cf where cf.contact_id = ${contacts.id})`,
};

export async function listContacts(
  db: DbOrTx,
  firmId: string,
  q: string | undefined,
  page: number,
  pageSize: number,
) {
  const where: SQL[] = [eq(contacts.firmId, firmId)];
  if (q) {
    const pattern = `%${likeEscape(q)}%`;
    const search = or(
      ilike(contacts.lastName, pattern),
      ilike(contacts.firstName, pattern),
      ilike(contacts.email, pattern),
      sql`${contacts.firstName} || ' ' || ${contacts.lastName} ilike ${pattern}`,
    );
    if (search) where.push(search);
  }
  const filter = and(...where);
  const rows = await db
    .select(contactColumns)
    .from(contacts)
    .leftJoin(orgRoles, eq(orgRoles.id, contacts.orgRoleId))
    .where(filter)
    .orderBy(asc(contacts.lastName), asc(contacts.firstName), asc(contacts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(contacts).where(filter);
  return { rows, total: count?.n ?? 0 };
}

export async function findContact(db: DbOrTx, firmId: string, id: string) {
  const [row] = await db
    .select(contactColumns)
    .from(contacts)
    .leftJoin(orgRoles, eq(orgRoles.id, contacts.orgRoleId))
    .where(and(eq(contacts.id, id), eq(contacts.firmId, firmId)))
    .limit(1);
  return row;
}

export async function findContactByEmail(db: DbOrTx, firmId: string, email: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.firmId, firmId), sql`lower(${contacts.email}) = lower(${email})`))
    .limit(1);
  return row;
}

export async function insertContact(db: DbOrTx, values: typeof contacts.$inferInsert) {
  const [row] = await db.insert(contacts).values(values).returning();
  return row;
}

export async function updateContact(db: DbOrTx, id: string, values: Partial<typeof contacts.$inferInsert>) {
  const [row] = await db
    .update(contacts)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(contacts.id, id))
    .returning();
  return row;
}

// ---- links --------------------------------------------------------------------------------

export async function findLink(db: DbOrTx, contactId: string, fileId: string) {
  const [row] = await db
    .select()
    .from(contactFiles)
    .where(and(eq(contactFiles.contactId, contactId), eq(contactFiles.fileId, fileId)))
    .limit(1);
  return row;
}

export async function insertLink(db: DbOrTx, values: typeof contactFiles.$inferInsert) {
  await db.insert(contactFiles).values(values);
}

export async function updateLink(
  db: DbOrTx,
  contactId: string,
  fileId: string,
  values: { limitedTo?: string[] | null; figuresAllowed?: boolean },
) {
  await db
    .update(contactFiles)
    .set(values)
    .where(and(eq(contactFiles.contactId, contactId), eq(contactFiles.fileId, fileId)));
}

export async function deleteLink(db: DbOrTx, contactId: string, fileId: string) {
  await db
    .delete(contactFiles)
    .where(and(eq(contactFiles.contactId, contactId), eq(contactFiles.fileId, fileId)));
}

/** Links with what the table of the "Dossiers clients" tab shows. */
export async function listLinks(db: DbOrTx, firmId: string, by: { contactId?: string; fileId?: string }) {
  const where: SQL[] = [eq(contactFiles.firmId, firmId)];
  if (by.contactId) where.push(eq(contactFiles.contactId, by.contactId));
  if (by.fileId) where.push(eq(contactFiles.fileId, by.fileId));
  return db
    .select({
      link: contactFiles,
      fileCode: clientFiles.code,
      fileName: clientFiles.name,
      responsibleId: clientFiles.responsibleId,
      contactFirst: contacts.firstName,
      contactLast: contacts.lastName,
      contactEmail: contacts.email,
      offerCode: offers.code,
      offerLabel: offers.label,
    })
    .from(contactFiles)
    .innerJoin(clientFiles, eq(clientFiles.id, contactFiles.fileId))
    .innerJoin(contacts, eq(contacts.id, contactFiles.contactId))
    .leftJoin(fileOffers, and(eq(fileOffers.fileId, contactFiles.fileId), eq(fileOffers.active, true)))
    .leftJoin(offers, eq(offers.code, fileOffers.offerCode))
    .where(and(...where))
    .orderBy(asc(clientFiles.code), asc(contacts.lastName));
}

export async function listServicesFor(
  db: DbOrTx,
  firmId: string,
  by: { contactId?: string; fileId?: string },
) {
  const where: SQL[] = [eq(collaborativeServices.firmId, firmId)];
  if (by.contactId) where.push(eq(collaborativeServices.contactId, by.contactId));
  if (by.fileId) where.push(eq(collaborativeServices.fileId, by.fileId));
  return db
    .select({ service: collaborativeServices, offerLabel: offers.label })
    .from(collaborativeServices)
    .innerJoin(offers, eq(offers.code, collaborativeServices.offerCode))
    .where(and(...where))
    .orderBy(asc(collaborativeServices.proposedAt));
}
