import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { contacts, orgRoles } from '../../db/schema/index.ts';

export const defaultOrgRoles = [
  'Dirigeant',
  'Gérant',
  'Associé',
  'Comptable interne',
  'Assistant(e) comptable',
  'Assistant(e) administratif(ve)',
  'Responsable paie',
  'Responsable administratif et financier',
];

export async function listRoles(db: DbOrTx, firmId: string) {
  return db
    .select({
      id: orgRoles.id,
      name: orgRoles.name,
      retiredAt: orgRoles.retiredAt,
      // Qualified by hand: in a one-table select Drizzle leaves columns unqualified, and a bare
      // "id" inside the subquery would mean the contact's own id.
      contactCount: sql<number>`(select count(*)::int from ${contacts} c where c.org_role_id = "org_roles"."id")`,
    })
    .from(orgRoles)
    .where(eq(orgRoles.firmId, firmId))
    .orderBy(asc(orgRoles.position), asc(orgRoles.name));
}

export async function findRole(db: DbOrTx, firmId: string, id: string) {
  const [row] = await db
    .select()
    .from(orgRoles)
    .where(and(eq(orgRoles.id, id), eq(orgRoles.firmId, firmId)))
    .limit(1);
  return row;
}

export async function findRoleByName(db: DbOrTx, firmId: string, name: string) {
  const [row] = await db
    .select()
    .from(orgRoles)
    .where(and(eq(orgRoles.firmId, firmId), sql`lower(${orgRoles.name}) = lower(${name})`))
    .limit(1);
  return row;
}

export async function countRoles(db: DbOrTx, firmId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgRoles)
    .where(eq(orgRoles.firmId, firmId));
  return row?.n ?? 0;
}

export async function insertRoles(db: DbOrTx, firmId: string, names: string[], firstPosition = 1) {
  return db
    .insert(orgRoles)
    .values(names.map((name, i) => ({ firmId, name, position: firstPosition + i })))
    .returning();
}

export async function updateRole(db: DbOrTx, id: string, values: { name?: string; retiredAt?: Date | null }) {
  const [row] = await db.update(orgRoles).set(values).where(eq(orgRoles.id, id)).returning();
  return row;
}

export async function findActiveRole(db: DbOrTx, firmId: string, id: string) {
  const [row] = await db
    .select()
    .from(orgRoles)
    .where(and(eq(orgRoles.id, id), eq(orgRoles.firmId, firmId), isNull(orgRoles.retiredAt)))
    .limit(1);
  return row;
}
