import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { clientFiles, contacts, gedDocuments, pieces, staffMembers } from '../../db/schema/index.ts';

export type PieceStatus = (typeof pieces.$inferSelect)['status'];

const pieceColumns = {
  id: pieces.id,
  firmId: pieces.firmId,
  fileId: pieces.fileId,
  fileCode: clientFiles.code,
  fileName: clientFiles.name,
  documentId: pieces.documentId,
  name: gedDocuments.name,
  mime: gedDocuments.mime,
  size: gedDocuments.size,
  status: pieces.status,
  reason: pieces.reason,
  contactId: pieces.contactId,
  contactFirstName: contacts.firstName,
  contactLastName: contacts.lastName,
  contactEmail: contacts.email,
  depositedAt: pieces.depositedAt,
  processedAt: pieces.processedAt,
};
export type PieceRow = { [K in keyof typeof pieceColumns]: (typeof pieceColumns)[K]['_']['data'] } & {
  processedAt: Date | null;
  reason: string | null;
};

const base = (db: DbOrTx) =>
  db
    .select(pieceColumns)
    .from(pieces)
    .innerJoin(gedDocuments, eq(gedDocuments.id, pieces.documentId))
    .innerJoin(clientFiles, eq(clientFiles.id, pieces.fileId))
    .innerJoin(contacts, eq(contacts.id, pieces.contactId));

export async function insertPiece(db: DbOrTx, values: typeof pieces.$inferInsert) {
  const [row] = await db.insert(pieces).values(values).returning();
  return row;
}

export async function findPieceByDocument(db: DbOrTx, documentId: string) {
  const [row] = await db.select().from(pieces).where(eq(pieces.documentId, documentId)).limit(1);
  return row;
}

export async function findPiece(db: DbOrTx, firmId: string, pieceId: string): Promise<PieceRow | undefined> {
  const [row] = await base(db)
    .where(and(eq(pieces.id, pieceId), eq(pieces.firmId, firmId)))
    .limit(1);
  return row as PieceRow | undefined;
}

export interface InboxQuery {
  firmId: string;
  /** null: every file of the firm; otherwise only these (a collaborator's own files). */
  fileIds: string[] | null;
  status?: PieceStatus | undefined;
  after?: { depositedAt: Date; id: string } | undefined;
  limit: number;
}

/** The firm's inbox, newest first, one keyset page. */
export async function listInbox(db: DbOrTx, q: InboxQuery): Promise<PieceRow[]> {
  if (q.fileIds?.length === 0) return [];
  const conditions: (SQL | undefined)[] = [
    eq(pieces.firmId, q.firmId),
    q.fileIds ? inArray(pieces.fileId, q.fileIds) : undefined,
    q.status ? eq(pieces.status, q.status) : undefined,
    q.after
      ? sql`(${pieces.depositedAt}, ${pieces.id}) < (${q.after.depositedAt.toISOString()}::timestamptz, ${q.after.id}::uuid)`
      : undefined,
  ];
  return (await base(db)
    .where(and(...conditions))
    .orderBy(desc(pieces.depositedAt), desc(pieces.id))
    .limit(q.limit)) as PieceRow[];
}

/** A file's pieces, newest first; optionally one month (Paris time) or one contact's. */
export async function listFilePieces(
  db: DbOrTx,
  fileId: string,
  by: {
    month?: string | undefined;
    contactId?: string | undefined;
    /** Keyset: only pieces older than this one (newest first). */
    after?: { depositedAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<PieceRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(pieces.fileId, fileId),
    by.contactId ? eq(pieces.contactId, by.contactId) : undefined,
    by.month
      ? sql`to_char(${pieces.depositedAt} at time zone 'Europe/Paris', 'YYYY-MM') = ${by.month}`
      : undefined,
    by.after
      ? sql`(${pieces.depositedAt}, ${pieces.id}) < (${by.after.depositedAt.toISOString()}::timestamptz, ${by.after.id}::uuid)`
      : undefined,
  ];
  return (await base(db)
    .where(and(...conditions))
    .orderBy(desc(pieces.depositedAt), desc(pieces.id))
    .limit(by.limit)) as PieceRow[];
}

export async function countByStatus(
  db: DbOrTx,
  fileId: string,
  by: { month?: string | undefined; contactId?: string | undefined } = {},
) {
  const rows = await db
    .select({ status: pieces.status, n: sql<number>`count(*)::int` })
    .from(pieces)
    .where(
      and(
        eq(pieces.fileId, fileId),
        by.contactId ? eq(pieces.contactId, by.contactId) : undefined,
        by.month
          ? sql`to_char(${pieces.depositedAt} at time zone 'Europe/Paris', 'YYYY-MM') = ${by.month}`
          : undefined,
      ),
    )
    .groupBy(pieces.status);
  const count = (s: PieceStatus) => rows.find((r) => r.status === s)?.n ?? 0;
  return { aTraiter: count('a_traiter'), traitees: count('traitee'), rejetees: count('rejetee') };
}

export async function setStatus(
  db: DbOrTx,
  pieceId: string,
  values: { status: PieceStatus; reason: string | null; processedBy: string },
) {
  await db
    .update(pieces)
    .set({ ...values, processedAt: new Date() })
    .where(eq(pieces.id, pieceId));
}

/** Pieces no digest has covered yet, locked so that two workers never mail them twice. */
export async function claimUnnotified(db: DbOrTx, limit: number) {
  return db
    .select({
      id: pieces.id,
      firmId: pieces.firmId,
      fileId: pieces.fileId,
      fileCode: clientFiles.code,
      fileName: clientFiles.name,
      responsibleId: clientFiles.responsibleId,
      name: gedDocuments.name,
      depositedAt: pieces.depositedAt,
    })
    .from(pieces)
    .innerJoin(clientFiles, eq(clientFiles.id, pieces.fileId))
    .innerJoin(gedDocuments, eq(gedDocuments.id, pieces.documentId))
    .where(isNull(pieces.notifiedAt))
    .orderBy(pieces.fileId, pieces.depositedAt)
    .limit(limit)
    .for('update', { of: pieces, skipLocked: true });
}

export async function markNotified(db: DbOrTx, ids: string[]) {
  if (ids.length) await db.update(pieces).set({ notifiedAt: new Date() }).where(inArray(pieces.id, ids));
}

/** Who hears of a file's new pieces: its responsible staff member, else the firm's administrators. */
export async function digestRecipients(db: DbOrTx, firmId: string, responsibleId: string | null) {
  if (responsibleId) {
    const [staff] = await db
      .select({ email: staffMembers.email, firstName: staffMembers.firstName })
      .from(staffMembers)
      .where(and(eq(staffMembers.id, responsibleId), eq(staffMembers.active, true)))
      .limit(1);
    if (staff) return [staff];
  }
  return db
    .select({ email: staffMembers.email, firstName: staffMembers.firstName })
    .from(staffMembers)
    .where(
      and(
        eq(staffMembers.firmId, firmId),
        eq(staffMembers.role, 'administrateur'),
        eq(staffMembers.active, true),
      ),
    );
}

export async function countFilePieces(db: DbOrTx, fileId: string) {
  const [row] = await db
    .select({
      deposited: sql<number>`count(*)::int`,
      waiting: sql<number>`(count(*) filter (where ${pieces.status} = 'a_traiter'))::int`,
    })
    .from(pieces)
    .where(eq(pieces.fileId, fileId));
  return { deposited: row?.deposited ?? 0, waiting: row?.waiting ?? 0 };
}

export async function responsibleFileIds(db: DbOrTx, firmId: string, staffId: string): Promise<string[]> {
  const rows = await db
    .select({ id: clientFiles.id })
    .from(clientFiles)
    .where(and(eq(clientFiles.firmId, firmId), eq(clientFiles.responsibleId, staffId)));
  return rows.map((r) => r.id);
}
