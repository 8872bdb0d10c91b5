import type { PortfolioQuery } from '@passerelle/contracts/portfolio';
import { and, asc, desc, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { clientFiles, contactFiles, fileOffers, offers, staffMembers } from '../../db/schema/index.ts';
import { likeEscape } from '../../lib/sql.ts';
import { foldForSearch } from './portfolio.rules.ts';

export interface PortfolioScope {
  firmId: string;
  /** Only files this staff member is responsible for (collaborateur without "all files"). */
  responsibleId?: string;
}

/**
 * Search-as-you-type on code, name and SIREN: a substring of the folded `search_text`
 * column (accents and case ignored). Digits typed with spaces ("732 829") also match the
 * SIREN written without them.
 */
function searchCondition(q: string): SQL | undefined {
  const folded = foldForSearch(q);
  const patterns = new Set([folded]);
  if (/^[\d\s]+$/.test(q)) patterns.add(q.replace(/\s+/g, ''));
  const conditions = [...patterns].map((p) => sql`${clientFiles.searchText} like ${`%${likeEscape(p)}%`}`);
  return conditions.length === 1 ? conditions[0] : sql`(${sql.join(conditions, sql` or `)})`;
}

const hasActiveOffer = sql`exists (select 1 from ${fileOffers} fo where fo.file_id = ${clientFiles.id} and fo.active)`;

export async function listFiles(db: DbOrTx, scope: PortfolioScope, query: PortfolioQuery) {
  const where: (SQL | undefined)[] = [eq(clientFiles.firmId, scope.firmId)];
  if (scope.responsibleId) where.push(eq(clientFiles.responsibleId, scope.responsibleId));
  if (query.responsibleId) where.push(eq(clientFiles.responsibleId, query.responsibleId));
  if (query.q) where.push(searchCondition(query.q));
  if (query.offer === 'active') where.push(hasActiveOffer);
  if (query.offer === 'none') where.push(sql`not ${hasActiveOffer}`);
  const filter = and(...where);

  const responsibleName = sql<string>`${staffMembers.lastName} || ' ' || ${staffMembers.firstName}`;
  const sortColumn = {
    code: clientFiles.code,
    name: clientFiles.name,
    siren: clientFiles.siren,
    fiscalYearEnd: clientFiles.fiscalYearEnd,
    responsible: responsibleName,
  }[query.sort];
  const order = query.dir === 'desc' ? desc(sortColumn) : asc(sortColumn);

  // The page first (ids only, sorted and cut), then its details: the offer and contact
  // subqueries run for the 50 rows shown, not for every match.
  const pageBase = db.select({ id: clientFiles.id }).from(clientFiles);
  const page = (
    query.sort === 'responsible'
      ? pageBase.leftJoin(staffMembers, eq(staffMembers.id, clientFiles.responsibleId))
      : pageBase
  )
    .where(filter)
    .orderBy(order, asc(clientFiles.code))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .as('page');

  const rowsQuery = db
    .select({
      id: clientFiles.id,
      code: clientFiles.code,
      name: clientFiles.name,
      siren: clientFiles.siren,
      legalForm: clientFiles.legalForm,
      fiscalYearEnd: clientFiles.fiscalYearEnd,
      responsibleId: staffMembers.id,
      responsibleFirst: staffMembers.firstName,
      responsibleLast: staffMembers.lastName,
      offer: sql<{ code: string; label: string } | null>`(
        select json_build_object('code', o.code, 'label', o.label) from ${fileOffers} fo
        join ${offers} o on o.code = fo.offer_code
        where fo.file_id = ${clientFiles.id} and fo.active order by o.position limit 1)`,
      contactCount: sql<number>`(select count(*)::int from ${contactFiles} cf where cf.file_id = ${clientFiles.id})`,
    })
    .from(page)
    .innerJoin(clientFiles, eq(clientFiles.id, page.id))
    .leftJoin(staffMembers, eq(staffMembers.id, clientFiles.responsibleId))
    .orderBy(order, asc(clientFiles.code));

  const countQuery = db.select({ n: sql<number>`count(*)::int` }).from(clientFiles).where(filter);
  // On PostgreSQL the two run on two pooled connections at once; PGlite runs them in turn.
  const [rows, [count]] = await Promise.all([rowsQuery, countQuery]);
  return { rows, total: count?.n ?? 0 };
}

export async function findFile(db: DbOrTx, firmId: string, fileId: string) {
  const [row] = await db
    .select()
    .from(clientFiles)
    .where(and(eq(clientFiles.id, fileId), eq(clientFiles.firmId, firmId)))
    .limit(1);
  return row;
}

/** One file with its responsible's name and its active offer (the lowest-positioned, if several). */
export async function findFileDetail(db: DbOrTx, firmId: string, fileId: string) {
  const [row] = await db
    .select({
      id: clientFiles.id,
      firmId: clientFiles.firmId,
      code: clientFiles.code,
      name: clientFiles.name,
      siren: clientFiles.siren,
      legalForm: clientFiles.legalForm,
      fiscalYearEnd: clientFiles.fiscalYearEnd,
      responsibleId: clientFiles.responsibleId,
      responsibleFirst: staffMembers.firstName,
      responsibleLast: staffMembers.lastName,
    })
    .from(clientFiles)
    .leftJoin(staffMembers, eq(staffMembers.id, clientFiles.responsibleId))
    .where(and(eq(clientFiles.id, fileId), eq(clientFiles.firmId, firmId)))
    .limit(1);
  if (!row) return undefined;
  const [offer] = await db
    .select({ code: offers.code, label: offers.label, activatedAt: fileOffers.activatedAt })
    .from(fileOffers)
    .innerJoin(offers, eq(offers.code, fileOffers.offerCode))
    .where(and(eq(fileOffers.fileId, fileId), eq(fileOffers.active, true)))
    .orderBy(asc(offers.position))
    .limit(1);
  return { ...row, offer };
}

/** Is this code used by another file of the firm, whatever its case? */
export async function codeTaken(db: DbOrTx, firmId: string, code: string, exceptFileId?: string) {
  const [row] = await db
    .select({ id: clientFiles.id })
    .from(clientFiles)
    .where(
      and(
        eq(clientFiles.firmId, firmId),
        sql`lower(${clientFiles.code}) = lower(${code})`,
        exceptFileId ? ne(clientFiles.id, exceptFileId) : undefined,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Which of these codes (lower-cased) the firm already uses. One parameter, whatever their number. */
export async function takenCodes(db: DbOrTx, firmId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .select({ code: sql<string>`lower(${clientFiles.code})` })
    .from(clientFiles)
    .where(
      and(
        eq(clientFiles.firmId, firmId),
        sql`lower(${clientFiles.code}) in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`,
      ),
    );
  return new Set(rows.map((r) => r.code));
}

export async function findActiveStaff(db: DbOrTx, firmId: string, staffId: string) {
  const [row] = await db
    .select({ id: staffMembers.id })
    .from(staffMembers)
    .where(and(eq(staffMembers.id, staffId), eq(staffMembers.firmId, firmId), eq(staffMembers.active, true)))
    .limit(1);
  return row;
}

export function listActiveStaff(db: DbOrTx, firmId: string) {
  return db
    .select({
      id: staffMembers.id,
      firstName: staffMembers.firstName,
      lastName: staffMembers.lastName,
      email: staffMembers.email,
      role: staffMembers.role,
    })
    .from(staffMembers)
    .where(and(eq(staffMembers.firmId, firmId), eq(staffMembers.active, true)))
    .orderBy(asc(staffMembers.lastName), asc(staffMembers.firstName), asc(staffMembers.email));
}

export type NewFile = Omit<typeof clientFiles.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function insertFile(db: DbOrTx, values: NewFile) {
  const [row] = await db.insert(clientFiles).values(values).returning({ id: clientFiles.id });
  if (!row) throw new Error('client file not inserted');
  return row;
}

// 7 parameters a row: 1,000 rows stay far below PostgreSQL's 65,535 parameters per statement.
const INSERT_BATCH = 1_000;

export async function insertFiles(db: DbOrTx, values: NewFile[]) {
  for (let i = 0; i < values.length; i += INSERT_BATCH) {
    await db.insert(clientFiles).values(values.slice(i, i + INSERT_BATCH));
  }
}

export type FileChanges = Partial<
  Pick<NewFile, 'code' | 'name' | 'siren' | 'legalForm' | 'fiscalYearEnd' | 'responsibleId'>
>;

export async function updateFile(db: DbOrTx, firmId: string, fileId: string, changes: FileChanges) {
  await db
    .update(clientFiles)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(clientFiles.id, fileId), eq(clientFiles.firmId, firmId)));
}

/** True when PostgreSQL refused the row because another file of the firm has this code. */
export function isCodeConflict(err: unknown): boolean {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const pgError = e as { code?: string; constraint?: string; message?: string };
    if (
      pgError.code === '23505' &&
      (pgError.constraint === 'client_files_firm_code_key' ||
        pgError.message?.includes('client_files_firm_code_key'))
    ) {
      return true;
    }
  }
  return false;
}
