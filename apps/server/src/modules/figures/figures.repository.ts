import type { AccountMonthAggregate } from '@passerelle/fec';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { clientFiles, fecAccountMonths, fecImports, staffMembers } from '../../db/schema/index.ts';

/** 7 parameters a row: far below PostgreSQL's 65,535 bind parameters per statement. */
const AGGREGATE_BATCH = 2_000;
/** The history shows the latest attempts; a file has a few imports a year. */
const HISTORY_LIMIT = 200;

export type NewFecImport = typeof fecImports.$inferInsert;

/** Serialises imports of one file: the flip of `current` must not interleave. */
export async function lockFile(tx: DbOrTx, fileId: string) {
  const [row] = await tx
    .select({ id: clientFiles.id })
    .from(clientFiles)
    .where(eq(clientFiles.id, fileId))
    .for('update');
  return row;
}

export async function insertImport(db: DbOrTx, values: NewFecImport) {
  const [row] = await db.insert(fecImports).values(values).returning({ id: fecImports.id });
  if (!row) throw new Error('fec import not inserted');
  return row.id;
}

/** Takes the current import of a fiscal year off; returns its id, if there was one. */
export async function retireCurrentImport(db: DbOrTx, fileId: string, fiscalYearEnd: string) {
  const rows = await db
    .update(fecImports)
    .set({ current: false })
    .where(
      and(
        eq(fecImports.fileId, fileId),
        eq(fecImports.fiscalYearEnd, fiscalYearEnd),
        eq(fecImports.current, true),
      ),
    )
    .returning({ id: fecImports.id });
  return rows[0]?.id ?? null;
}

export async function insertAggregates(
  db: DbOrTx,
  importId: string,
  fileId: string,
  aggregates: readonly AccountMonthAggregate[],
) {
  for (let i = 0; i < aggregates.length; i += AGGREGATE_BATCH) {
    await db.insert(fecAccountMonths).values(
      aggregates.slice(i, i + AGGREGATE_BATCH).map((row) => ({
        importId,
        fileId,
        account: row.account,
        month: row.month,
        opening: row.opening,
        debitCents: row.debitCents,
        creditCents: row.creditCents,
      })),
    );
  }
}

/** A replaced import keeps its history row and raw file; its aggregates are no longer read. */
export async function deleteAggregates(db: DbOrTx, importId: string) {
  await db.delete(fecAccountMonths).where(eq(fecAccountMonths.importId, importId));
}

const importColumns = {
  id: fecImports.id,
  fileId: fecImports.fileId,
  status: fecImports.status,
  current: fecImports.current,
  fiscalYearStart: fecImports.fiscalYearStart,
  fiscalYearEnd: fecImports.fiscalYearEnd,
  originalName: fecImports.originalName,
  size: fecImports.size,
  sha256: fecImports.sha256,
  lineCount: fecImports.lineCount,
  blobKey: fecImports.blobKey,
  summary: fecImports.summary,
  importedAt: fecImports.importedAt,
  importedById: staffMembers.id,
  importedByFirst: staffMembers.firstName,
  importedByLast: staffMembers.lastName,
};

export type FecImportRow = Awaited<ReturnType<typeof listImports>>[number];

/** History of a file, latest first, without the full reports. */
export async function listImports(db: DbOrTx, fileId: string) {
  return db
    .select(importColumns)
    .from(fecImports)
    .leftJoin(staffMembers, eq(staffMembers.id, fecImports.importedBy))
    .where(eq(fecImports.fileId, fileId))
    .orderBy(desc(fecImports.importedAt), desc(fecImports.id))
    .limit(HISTORY_LIMIT);
}

export async function findImport(db: DbOrTx, fileId: string, importId: string) {
  const [row] = await db
    .select(importColumns)
    .from(fecImports)
    .leftJoin(staffMembers, eq(staffMembers.id, fecImports.importedBy))
    .where(and(eq(fecImports.fileId, fileId), eq(fecImports.id, importId)))
    .limit(1);
  return row;
}

export async function findImportReport(db: DbOrTx, importId: string) {
  const [row] = await db
    .select({ report: fecImports.report })
    .from(fecImports)
    .where(eq(fecImports.id, importId))
    .limit(1);
  return row?.report;
}

/** The current import of each fiscal year of a file, latest year first. */
export async function listCurrentImports(db: DbOrTx, fileId: string) {
  const rows = await db
    .select({
      id: fecImports.id,
      fiscalYearStart: fecImports.fiscalYearStart,
      fiscalYearEnd: fecImports.fiscalYearEnd,
      importedAt: fecImports.importedAt,
    })
    .from(fecImports)
    .where(and(eq(fecImports.fileId, fileId), eq(fecImports.current, true)))
    .orderBy(desc(fecImports.fiscalYearEnd));
  // A current import is accepted, so its fiscal year is known (fec_imports_accepted_check).
  return rows.map((row) => ({
    ...row,
    fiscalYearStart: row.fiscalYearStart as string,
    fiscalYearEnd: row.fiscalYearEnd as string,
  }));
}

export async function loadAggregates(db: DbOrTx, importIds: string[]) {
  if (importIds.length === 0) return [];
  return db
    .select({
      importId: fecAccountMonths.importId,
      account: fecAccountMonths.account,
      month: fecAccountMonths.month,
      opening: fecAccountMonths.opening,
      debitCents: fecAccountMonths.debitCents,
      creditCents: fecAccountMonths.creditCents,
    })
    .from(fecAccountMonths)
    .where(inArray(fecAccountMonths.importId, importIds));
}

/** For the blob store's orphan sweep: does an import keep this raw file? */
export async function isBlobReferenced(db: DbOrTx, key: string) {
  const [row] = await db
    .select({ id: fecImports.id })
    .from(fecImports)
    .where(eq(fecImports.blobKey, key))
    .limit(1);
  return row !== undefined;
}
