import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../../db/connection.ts';
import {
  clientFiles,
  fecImports,
  gedDocuments,
  gedDocumentVersions,
  gedFolders,
} from '../../db/schema/index.ts';

export type FolderRow = typeof gedFolders.$inferSelect;
export type DocumentRow = typeof gedDocuments.$inferSelect;
export type NewDocument = typeof gedDocuments.$inferInsert;

/** Every column but the two search ones, which can be large and are never sent. */
export const documentColumns = {
  id: gedDocuments.id,
  firmId: gedDocuments.firmId,
  fileId: gedDocuments.fileId,
  folderId: gedDocuments.folderId,
  name: gedDocuments.name,
  mime: gedDocuments.mime,
  size: gedDocuments.size,
  sha256: gedDocuments.sha256,
  blobKey: gedDocuments.blobKey,
  fiscalYear: gedDocuments.fiscalYear,
  visibleToClient: gedDocuments.visibleToClient,
  version: gedDocuments.version,
  addedByType: gedDocuments.addedByType,
  addedById: gedDocuments.addedById,
  addedByName: gedDocuments.addedByName,
  addedAt: gedDocuments.addedAt,
  deletedAt: gedDocuments.deletedAt,
};
export type DocumentSummary = { [K in keyof typeof documentColumns]: DocumentRow[K] };

// ---- Folders ------------------------------------------------------------------------------
export async function findInbox(db: DbOrTx, fileId: string) {
  const [row] = await db
    .select()
    .from(gedFolders)
    .where(and(eq(gedFolders.fileId, fileId), eq(gedFolders.isInbox, true)))
    .limit(1);
  return row;
}

export async function insertFolders(db: DbOrTx, values: (typeof gedFolders.$inferInsert)[]) {
  // Two first requests at once: the unique indexes keep one set of defaults.
  await db.insert(gedFolders).values(values).onConflictDoNothing();
}

export async function listFolders(db: DbOrTx, fileId: string, visibleOnly = false) {
  const counts = db
    .select({ folderId: gedDocuments.folderId, n: sql<number>`count(*)::int`.as('n') })
    .from(gedDocuments)
    .where(
      and(
        eq(gedDocuments.fileId, fileId),
        isNull(gedDocuments.deletedAt),
        visibleOnly ? eq(gedDocuments.visibleToClient, true) : undefined,
      ),
    )
    .groupBy(gedDocuments.folderId)
    .as('counts');
  return db
    .select({ folder: gedFolders, documentCount: sql<number>`coalesce(${counts.n}, 0)::int` })
    .from(gedFolders)
    .leftJoin(counts, eq(counts.folderId, gedFolders.id))
    .where(eq(gedFolders.fileId, fileId))
    .orderBy(asc(gedFolders.position), asc(gedFolders.name));
}

export async function findFolder(db: DbOrTx, firmId: string, folderId: string) {
  const [row] = await db
    .select()
    .from(gedFolders)
    .where(and(eq(gedFolders.id, folderId), eq(gedFolders.firmId, firmId)))
    .limit(1);
  return row;
}

export async function insertFolder(db: DbOrTx, values: typeof gedFolders.$inferInsert) {
  const [row] = await db.insert(gedFolders).values(values).returning();
  return row;
}

export async function updateFolder(
  db: DbOrTx,
  folderId: string,
  changes: Partial<typeof gedFolders.$inferInsert>,
) {
  const [row] = await db.update(gedFolders).set(changes).where(eq(gedFolders.id, folderId)).returning();
  return row;
}

export async function deleteFolder(db: DbOrTx, folderId: string) {
  await db.delete(gedFolders).where(eq(gedFolders.id, folderId));
}

/** Sub-folders or documents, the binned ones included (they can be restored into it). */
export async function folderHasContent(db: DbOrTx, folderId: string) {
  const result = await db.execute(sql`select
    exists(select 1 from ${gedFolders} where ${gedFolders.parentId} = ${folderId})
    or exists(select 1 from ${gedDocuments} where ${gedDocuments.folderId} = ${folderId}) as busy`);
  return rows<{ busy: boolean }>(result)[0]?.busy === true;
}

// ---- Documents ----------------------------------------------------------------------------
export interface DocumentCursor {
  name: string;
  id: string;
}

/** One keyset page of live documents of the given folders, ordered by (name, id). */
export async function listDocuments(
  db: DbOrTx,
  by: { folderIds: string[]; visibleOnly: boolean; after?: DocumentCursor; limit: number },
) {
  if (by.folderIds.length === 0) return [];
  const conditions: (SQL | undefined)[] = [
    by.folderIds.length === 1
      ? eq(gedDocuments.folderId, by.folderIds[0] as string)
      : inArray(gedDocuments.folderId, by.folderIds),
    isNull(gedDocuments.deletedAt),
    by.visibleOnly ? eq(gedDocuments.visibleToClient, true) : undefined,
    by.after
      ? sql`(${gedDocuments.name}, ${gedDocuments.id}) > (${by.after.name}, ${by.after.id}::uuid)`
      : undefined,
  ];
  return db
    .select(documentColumns)
    .from(gedDocuments)
    .where(and(...conditions))
    .orderBy(asc(gedDocuments.name), asc(gedDocuments.id))
    .limit(by.limit);
}

/**
 * One document of a folder page, as the API sends it (`GedDocument`), built by PostgreSQL: the
 * timestamp is already ISO 8601 text (UTC, milliseconds: the column's precision, the format of
 * `Date.toISOString`), so no row is mapped column by column, no `Date` is made and dropped.
 */
export interface FolderPageDocument {
  id: string;
  folderId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  fiscalYear: number | null;
  visibleToClient: boolean;
  addedBy: { type: 'staff' | 'client'; name: string };
  addedAt: string;
  version: number;
}

/**
 * One keyset page of a folder for the firm, in one round trip and one row: the folder (of this
 * firm), its file's scope for the policy, and up to `limit` live documents after the cursor, by
 * (name, id), as one JSON array (null when the folder has none). One row of four columns is all
 * the driver and drizzle parse and map, whatever the page's size: per document and column, their
 * generic mapping was the largest share of the request's CPU.
 */
export function folderPageQuery(db: Db, withCursor: boolean) {
  const d = gedDocuments;
  const after = withCursor
    ? sql`and (${d.name}, ${d.id}) > (${sql.placeholder('afterName')}, ${sql.placeholder('afterId')}::uuid)`
    : sql``;
  const documents = sql<FolderPageDocument[] | null>`(select json_agg(page.doc order by page.name, page.id)
    from (select ${d.name} as name, ${d.id} as id, json_build_object(
        'id', ${d.id}, 'folderId', ${d.folderId}, 'name', ${d.name}, 'mime', ${d.mime},
        'size', ${d.size}, 'sha256', ${d.sha256}, 'fiscalYear', ${d.fiscalYear},
        'visibleToClient', ${d.visibleToClient},
        'addedBy', json_build_object('type', ${d.addedByType}, 'name', ${d.addedByName}),
        'addedAt', to_char(${d.addedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'version', ${d.version}) as doc
      from ${d}
      where ${d.folderId} = ${gedFolders.id} and ${d.deletedAt} is null ${after}
      order by ${d.name}, ${d.id}
      limit ${sql.placeholder('limit')}) as page)`;
  return db
    .select({
      fileId: gedFolders.fileId,
      fileFirmId: clientFiles.firmId,
      responsibleId: clientFiles.responsibleId,
      documents: documents.as('documents'),
    })
    .from(gedFolders)
    .innerJoin(clientFiles, eq(clientFiles.id, gedFolders.fileId))
    .where(
      and(eq(gedFolders.id, sql.placeholder('folderId')), eq(gedFolders.firmId, sql.placeholder('firmId'))),
    )
    .prepare(withCursor ? 'passerelle_ged_folder_page_json_after' : 'passerelle_ged_folder_page_json');
}

type FolderPageQuery = ReturnType<typeof folderPageQuery>;
// Built once per database (drizzle's query building is a fair share of a request's CPU), and a
// named statement is parsed and planned once per PostgreSQL connection.
const folderPageQueries = new WeakMap<Db, { first: FolderPageQuery; after: FolderPageQuery }>();

export interface FolderPage {
  /** What the policy needs to decide whether the caller may see the folder's file. */
  file: { id: string; firmId: string; responsibleId: string | null };
  documents: FolderPageDocument[];
}

/** undefined when the folder does not exist in this firm. */
export async function findFolderPage(
  db: Db,
  by: { firmId: string; folderId: string; after?: DocumentCursor; limit: number },
): Promise<FolderPage | undefined> {
  let queries = folderPageQueries.get(db);
  if (!queries) {
    queries = { first: folderPageQuery(db, false), after: folderPageQuery(db, true) };
    folderPageQueries.set(db, queries);
  }
  const [found] = by.after
    ? await queries.after.execute({
        folderId: by.folderId,
        firmId: by.firmId,
        afterName: by.after.name,
        afterId: by.after.id,
        limit: by.limit,
      })
    : await queries.first.execute({ folderId: by.folderId, firmId: by.firmId, limit: by.limit });
  if (!found) return undefined;
  return {
    file: { id: found.fileId, firmId: found.fileFirmId, responsibleId: found.responsibleId },
    documents: found.documents ?? [],
  };
}

export async function findDocument(db: DbOrTx, firmId: string, docId: string) {
  const [row] = await db
    .select(documentColumns)
    .from(gedDocuments)
    .where(and(eq(gedDocuments.id, docId), eq(gedDocuments.firmId, firmId)))
    .limit(1);
  return row;
}

export async function findLiveBySha(db: DbOrTx, fileId: string, sha256: string) {
  const [row] = await db
    .select(documentColumns)
    .from(gedDocuments)
    .where(
      and(eq(gedDocuments.fileId, fileId), eq(gedDocuments.sha256, sha256), isNull(gedDocuments.deletedAt)),
    )
    .limit(1);
  return row;
}

/** Inserts the document and its first version; undefined when the content is already live in the file. */
export async function insertDocument(db: DbOrTx, values: NewDocument) {
  const [row] = await db
    .insert(gedDocuments)
    .values(values)
    .onConflictDoNothing({
      target: [gedDocuments.fileId, gedDocuments.sha256],
      where: sql`${gedDocuments.deletedAt} is null`,
    })
    .returning(documentColumns);
  if (!row) return undefined;
  await db.insert(gedDocumentVersions).values({
    documentId: row.id,
    version: 1,
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    blobKey: row.blobKey,
    addedByType: row.addedByType,
    addedById: row.addedById,
    addedByName: row.addedByName,
    addedAt: row.addedAt,
  });
  return row;
}

export async function updateDocument(db: DbOrTx, docId: string, changes: Partial<NewDocument>) {
  const [row] = await db
    .update(gedDocuments)
    .set(changes)
    .where(eq(gedDocuments.id, docId))
    .returning(documentColumns);
  return row;
}

export async function insertVersion(db: DbOrTx, values: typeof gedDocumentVersions.$inferInsert) {
  await db.insert(gedDocumentVersions).values(values);
}

export async function listVersions(db: DbOrTx, docId: string) {
  return db
    .select()
    .from(gedDocumentVersions)
    .where(eq(gedDocumentVersions.documentId, docId))
    .orderBy(desc(gedDocumentVersions.version));
}

export async function listBin(db: DbOrTx, fileId: string) {
  return db
    .select({ ...documentColumns, folderName: gedFolders.name })
    .from(gedDocuments)
    .innerJoin(gedFolders, eq(gedFolders.id, gedDocuments.folderId))
    .where(and(eq(gedDocuments.fileId, fileId), isNotNull(gedDocuments.deletedAt)))
    .orderBy(desc(gedDocuments.deletedAt), asc(gedDocuments.id))
    .limit(500);
}

/** Live documents shared with the client, newest first (client dashboard). */
export async function latestShared(db: DbOrTx, fileId: string, folderIds: string[], limit: number) {
  if (folderIds.length === 0) return [];
  return db
    .select(documentColumns)
    .from(gedDocuments)
    .where(
      and(
        eq(gedDocuments.fileId, fileId),
        inArray(gedDocuments.folderId, folderIds),
        isNull(gedDocuments.deletedAt),
        eq(gedDocuments.visibleToClient, true),
      ),
    )
    .orderBy(desc(gedDocuments.addedAt), desc(gedDocuments.id))
    .limit(limit);
}

export async function countShared(db: DbOrTx, fileId: string, folderIds: string[]) {
  if (folderIds.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(gedDocuments)
    .where(
      and(
        eq(gedDocuments.fileId, fileId),
        inArray(gedDocuments.folderId, folderIds),
        isNull(gedDocuments.deletedAt),
        eq(gedDocuments.visibleToClient, true),
      ),
    );
  return row?.n ?? 0;
}

export interface SearchFilters {
  q: string;
  folderIds?: string[];
  visibleOnly: boolean;
  mime?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  fiscalYear?: number | undefined;
  limit: number;
}

/**
 * Bounds of ranking. When at most `candidates` documents match, all of them are ranked; when more
 * match (a word present in most documents), the best are chosen among the `candidates` most recent
 * matches, so a search costs the same in a file of 5,000 documents as in one of 100,000.
 * `recentWindow`: how many of the file's latest documents are read in date order to find those
 * candidates before falling back to the index (see docs/decisions/130-ged-search-bounded-ranking.md).
 */
export const searchBounds = { candidates: 500, recentWindow: 10_000 };

/**
 * French full-text search over name (weight A) and PDF text (weight B), best first
 * (`ts_rank_cd`, then most recent). Every filter, and the client's folders, apply in each step.
 */
export async function searchDocuments(db: DbOrTx, fileId: string, f: SearchFilters, bounds = searchBounds) {
  if (f.folderIds?.length === 0) return [];
  const query = sql`websearch_to_tsquery('french'::regconfig, ${f.q})`;
  const ids = await searchCandidates(db, fileId, (c) => matchConditions(c, fileId, query, f), bounds);
  if (ids.length === 0) return [];
  const rank = sql<number>`ts_rank_cd(${gedDocuments.searchVector}, ${query})`;
  // The conditions again: the candidates were read by an earlier statement.
  return db
    .select({ ...documentColumns, folderName: gedFolders.name, rank: sql<number>`${rank}::float8` })
    .from(gedDocuments)
    .innerJoin(gedFolders, eq(gedFolders.id, gedDocuments.folderId))
    .where(and(inArray(gedDocuments.id, ids), matchConditions(gedDocuments, fileId, query, f)))
    .orderBy(desc(rank), desc(gedDocuments.addedAt), asc(gedDocuments.id))
    .limit(f.limit);
}

/** The columns a search condition reads, from the table or from the window of recent documents. */
const searchColumns = {
  id: gedDocuments.id,
  fileId: gedDocuments.fileId,
  folderId: gedDocuments.folderId,
  mime: gedDocuments.mime,
  fiscalYear: gedDocuments.fiscalYear,
  visibleToClient: gedDocuments.visibleToClient,
  addedAt: gedDocuments.addedAt,
  deletedAt: gedDocuments.deletedAt,
  searchVector: gedDocuments.searchVector,
};
type SearchColumns = Record<keyof typeof searchColumns, AnyPgColumn>;

function matchConditions(c: SearchColumns, fileId: string, query: SQL, f: SearchFilters): SQL {
  return and(
    eq(c.fileId, fileId),
    isNull(c.deletedAt),
    sql`${c.searchVector} @@ ${query}`,
    f.folderIds ? inArray(c.folderId, f.folderIds) : undefined,
    f.visibleOnly ? eq(c.visibleToClient, true) : undefined,
    f.mime ? eq(c.mime, f.mime) : undefined,
    f.from ? sql`${c.addedAt} >= ${f.from}::date` : undefined,
    f.to ? sql`${c.addedAt} < (${f.to}::date + 1)` : undefined,
    f.fiscalYear !== undefined ? eq(c.fiscalYear, f.fiscalYear) : undefined,
  ) as SQL;
}

/**
 * The documents to rank, at most `bounds.candidates`: every match when there are no more, else the
 * most recent matches. Each step bounds its own work, whatever the planner estimates:
 * 1. any `candidates + 1` matches (through the GIN when the words are rare): if fewer, that is all;
 * 2. else the matches among the file's `recentWindow` latest documents, read in date order;
 * 3. else (matches are sparse lately) all matches through the GIN, the most recent kept.
 */
async function searchCandidates(
  db: DbOrTx,
  fileId: string,
  matching: (c: SearchColumns) => SQL,
  bounds: typeof searchBounds,
): Promise<string[]> {
  const probe = await db
    .select({ id: gedDocuments.id })
    .from(gedDocuments)
    .where(matching(gedDocuments))
    .limit(bounds.candidates + 1);
  if (probe.length <= bounds.candidates) return probe.map((r) => r.id);

  // A subquery with a LIMIT is planned on its own: the index on (file_id, added_at), read backwards.
  const recent = db
    .select(searchColumns)
    .from(gedDocuments)
    .where(and(eq(gedDocuments.fileId, fileId), isNull(gedDocuments.deletedAt)))
    .orderBy(desc(gedDocuments.addedAt))
    .limit(bounds.recentWindow)
    .as('recent');
  const lately = await db
    .select({ id: recent.id })
    .from(recent)
    .where(matching(recent))
    .orderBy(desc(recent.addedAt))
    .limit(bounds.candidates);
  if (lately.length === bounds.candidates) return lately.map((r) => r.id);

  // Materialized: planned for all its rows (the GIN), never as a date-ordered scan of the file.
  const all = await db.execute(sql`with matches as materialized (
      select ${gedDocuments.id} as id, ${gedDocuments.addedAt} as added_at
      from ${gedDocuments} where ${matching(gedDocuments)}
    )
    select id from matches order by added_at desc limit ${bounds.candidates}`);
  return rows<{ id: string }>(all).map((r) => r.id);
}

/** A short excerpt of the text around the match, for the firm's result list. */
export async function snippets(db: DbOrTx, ids: string[], q: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db
    .select({
      id: gedDocuments.id,
      snippet: sql<
        string | null
      >`case when ${gedDocuments.contentText} is null then null else ts_headline('french'::regconfig, left(${gedDocuments.contentText}, 20000), websearch_to_tsquery('french'::regconfig, ${q}), 'MaxWords=20, MinWords=8, StartSel=«, StopSel=»') end`,
    })
    .from(gedDocuments)
    .where(inArray(gedDocuments.id, ids));
  return new Map(result.flatMap((r) => (r.snippet ? [[r.id, r.snippet] as [string, string]] : [])));
}

/** Is a blob still pointed at by a row (any version of any document, or a kept FEC file)? */
export async function blobReferenced(db: DbOrTx, key: string) {
  const result = await db.execute(sql`select
    exists(select 1 from ${gedDocumentVersions} where ${gedDocumentVersions.blobKey} = ${key})
    or exists(select 1 from ${gedDocuments} where ${gedDocuments.blobKey} = ${key})
    or exists(select 1 from ${fecImports} where ${fecImports.blobKey} = ${key}) as used`);
  return rows<{ used: boolean }>(result)[0]?.used === true;
}

/** node-postgres answers `{ rows }`, PGlite an array-like result: read both. */
function rows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
