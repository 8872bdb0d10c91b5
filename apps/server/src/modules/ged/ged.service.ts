import {
  type GedDocument,
  type GedDocumentUpdate,
  type GedFolderCreate,
  type GedFolderUpdate,
  type GedSearchQuery,
  gedDocumentPageSchema,
} from '@passerelle/contracts/ged';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { contacts, staffMembers } from '../../db/schema/index.ts';
import { compileResponseSerializer } from '../../lib/compiled-serializer.ts';
import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/sql.ts';
import {
  assertClientCapability,
  assertStaffCanChangeFile,
  assertStaffCanSeeFile,
  type ClientActor,
  clientFileAccess,
  type StaffActor,
} from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import * as repo from './ged.repository.ts';
import { clientVisibleFolders, defaultFolders, wouldCycle } from './ged.tree.ts';
import {
  dateFr,
  type MultipartPart,
  type PartOutcome,
  receiveParts,
  type StoredUpload,
} from './ged.upload.ts';

/** A page of documents, written as the route's response schema says (compiled, decision 121). */
const serializeDocumentPage = compileResponseSerializer(gedDocumentPageSchema, 'GED folder page');

export function toDocument(row: repo.DocumentSummary): GedDocument {
  return {
    id: row.id,
    folderId: row.folderId,
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    fiscalYear: row.fiscalYear,
    visibleToClient: row.visibleToClient,
    addedBy: { type: row.addedByType, name: row.addedByName },
    addedAt: row.addedAt.toISOString(),
    version: row.version,
  };
}

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === size && values.every((v) => typeof v === 'string'))
      return values as string[];
  } catch {}
  throw new AppError('VALIDATION_FAILED', 'Curseur de pagination invalide.');
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function actorName(db: DbOrTx, actor: StaffActor | ClientActor): Promise<string> {
  if (actor.type === 'staff') {
    const [s] = await db.select().from(staffMembers).where(eq(staffMembers.id, actor.staffId)).limit(1);
    return s ? `${s.firstName} ${s.lastName}` : 'Cabinet';
  }
  const [c] = await db.select().from(contacts).where(eq(contacts.id, actor.contactId)).limit(1);
  return c ? `${c.firstName} ${c.lastName}` : 'Client';
}

/** Creates the default tree the first time a file's GED is opened; returns the inbox. */
export async function ensureFolders(db: DbOrTx, firmId: string, fileId: string) {
  const inbox = await repo.findInbox(db, fileId);
  if (inbox) return inbox;
  await repo.insertFolders(
    db,
    defaultFolders.map((f, position) => ({ firmId, fileId, parentId: null, position, ...f })),
  );
  const created = await repo.findInbox(db, fileId);
  if (!created) throw new AppError('INTERNAL');
  return created;
}

export interface StoreDocumentInput {
  firmId: string;
  fileId: string;
  folderId: string;
  upload: StoredUpload;
  by: { type: 'staff' | 'client'; id: string; name: string };
  visibleToClient: boolean;
  fiscalYear?: number | null;
}

/**
 * Inserts the row of an uploaded blob, or answers the live document that already has the same
 * content in the file (deduplication: a retried upload never makes a second document).
 */
export async function storeDocument(tx: DbOrTx, input: StoreDocumentInput) {
  const row = await repo.insertDocument(tx, {
    firmId: input.firmId,
    fileId: input.fileId,
    folderId: input.folderId,
    name: input.upload.displayName,
    mime: input.upload.detectedMime,
    size: input.upload.size,
    sha256: input.upload.sha256,
    blobKey: input.upload.key,
    fiscalYear: input.fiscalYear ?? null,
    visibleToClient: input.visibleToClient,
    addedByType: input.by.type,
    addedById: input.by.id,
    addedByName: input.by.name,
    contentText: input.upload.text,
  });
  if (row) return { created: true as const, row };
  const existing = await repo.findLiveBySha(tx, input.fileId, input.upload.sha256);
  if (!existing) throw new AppError('INTERNAL');
  return { created: false as const, row: existing };
}

export function createGedService(ctx: AppContext) {
  const { db, blobs, config, gedPages } = ctx;

  const staffFile = async (tx: DbOrTx, actor: StaffActor, fileId: string, write: boolean) => {
    const file = await findFile(tx, actor.firmId, fileId);
    if (write) assertStaffCanChangeFile(actor, file);
    else assertStaffCanSeeFile(actor, file);
    return file;
  };
  const staffFolder = async (tx: DbOrTx, actor: StaffActor, folderId: string, write: boolean) => {
    const folder = await repo.findFolder(tx, actor.firmId, folderId);
    if (!folder) throw new AppError('NOT_FOUND');
    await staffFile(tx, actor, folder.fileId, write);
    return folder;
  };
  const staffDocument = async (tx: DbOrTx, actor: StaffActor, docId: string, write: boolean) => {
    const doc = await repo.findDocument(tx, actor.firmId, docId);
    if (!doc) throw new AppError('NOT_FOUND');
    await staffFile(tx, actor, doc.fileId, write);
    return doc;
  };

  /** The client's view of a file: access re-derived now, capability, the folders they may see. */
  const clientView = async (actor: ClientActor, fileId: string) => {
    const access = await clientFileAccess(db, actor, fileId);
    assertClientCapability(access, 'ged.read');
    await ensureFolders(db, access.firmId, fileId);
    const folders = clientVisibleFolders(
      (await repo.listFolders(db, fileId)).map((r) => r.folder),
      access.limitedTo,
    );
    return { access, folders, folderIds: folders.map((f) => f.id) };
  };

  const folderDto = (folder: repo.FolderRow, documentCount: number) => ({
    id: folder.id,
    parentId: folder.parentId,
    name: folder.name,
    visibleToClient: folder.visibleToClient,
    documentCount,
    isInbox: folder.isInbox,
  });

  const page = (rows: repo.DocumentSummary[], limit: number) => {
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDocument),
      nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null,
    };
  };
  const cursorOf = (cursor: string | undefined) => {
    const values = decodeCursor(cursor, 2);
    if (!values) return undefined;
    const [name, id] = values as [string, string];
    if (!uuidPattern.test(id)) throw new AppError('VALIDATION_FAILED', 'Curseur de pagination invalide.');
    return { name, id };
  };

  return {
    // ---- Firm: folders ----------------------------------------------------------------------
    async listFolders(actor: StaffActor, fileId: string) {
      const file = await staffFile(db, actor, fileId, false);
      await ensureFolders(db, file.firmId, fileId);
      const rows = await repo.listFolders(db, fileId);
      return { items: rows.map((r) => folderDto(r.folder, r.documentCount)) };
    },

    async createFolder(actor: StaffActor, origin: RequestOrigin, fileId: string, input: GedFolderCreate) {
      try {
        return await db.transaction(async (tx) => {
          const file = await staffFile(tx, actor, fileId, true);
          await ensureFolders(tx, file.firmId, fileId);
          if (input.parentId !== null) {
            const parent = await repo.findFolder(tx, actor.firmId, input.parentId);
            if (!parent || parent.fileId !== fileId) throw new AppError('NOT_FOUND');
          }
          const folder = await repo.insertFolder(tx, {
            firmId: actor.firmId,
            fileId,
            parentId: input.parentId,
            name: input.name,
            position: 100,
          });
          if (!folder) throw new AppError('INTERNAL');
          await recordAudit(tx, origin, {
            action: 'folder.created',
            targetType: 'file',
            targetId: fileId,
            details: { folderId: folder.id, name: folder.name },
          });
          return folderDto(folder, 0);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('FOLDER_NAME_TAKEN');
        throw err;
      }
    },

    async updateFolder(actor: StaffActor, origin: RequestOrigin, folderId: string, input: GedFolderUpdate) {
      try {
        return await db.transaction(async (tx) => {
          const folder = await staffFolder(tx, actor, folderId, true);
          const changes: Partial<repo.FolderRow> = {};
          if (input.name !== undefined) changes.name = input.name;
          if (input.visibleToClient !== undefined) changes.visibleToClient = input.visibleToClient;
          if (input.parentId !== undefined && input.parentId !== folder.parentId) {
            if (folder.isInbox) throw new AppError('FOLDER_PROTECTED');
            if (input.parentId !== null) {
              const parent = await repo.findFolder(tx, actor.firmId, input.parentId);
              if (!parent || parent.fileId !== folder.fileId) throw new AppError('NOT_FOUND');
              const all = (await repo.listFolders(tx, folder.fileId)).map((r) => r.folder);
              if (wouldCycle(all, folderId, input.parentId))
                throw new AppError('VALIDATION_FAILED', 'Un dossier ne peut pas être déplacé dans lui-même.');
            }
            changes.parentId = input.parentId;
          }
          const updated = Object.keys(changes).length
            ? await repo.updateFolder(tx, folderId, changes)
            : folder;
          if (!updated) throw new AppError('NOT_FOUND');
          await recordAudit(tx, origin, {
            action: 'folder.updated',
            targetType: 'file',
            targetId: folder.fileId,
            details: { folderId, ...input },
          });
          const counts = await repo.listFolders(tx, folder.fileId);
          return folderDto(updated, counts.find((r) => r.folder.id === folderId)?.documentCount ?? 0);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('FOLDER_NAME_TAKEN');
        throw err;
      }
    },

    async deleteFolder(actor: StaffActor, origin: RequestOrigin, folderId: string) {
      await db.transaction(async (tx) => {
        const folder = await staffFolder(tx, actor, folderId, true);
        if (folder.isInbox) throw new AppError('FOLDER_PROTECTED');
        if (await repo.folderHasContent(tx, folderId)) throw new AppError('FOLDER_NOT_EMPTY');
        await repo.deleteFolder(tx, folderId);
        await recordAudit(tx, origin, {
          action: 'folder.deleted',
          targetType: 'file',
          targetId: folder.fileId,
          details: { folderId, name: folder.name },
        });
      });
    },

    // ---- Firm: documents ----------------------------------------------------------------------
    /**
     * One keyset page of a folder, as the JSON bytes the route sends: from the folder-page cache
     * while nothing that shapes it changed (decision 122), else in one round trip (the folder, its
     * file's scope and the page). The policy decides on the file's scope either way.
     */
    async listDocuments(
      actor: StaffActor,
      folderId: string,
      query: { cursor?: string | undefined; limit: number },
    ): Promise<Buffer> {
      let after: repo.DocumentCursor | undefined;
      try {
        after = cursorOf(query.cursor);
      } catch (error) {
        // Access answers first, as on every route: a bad cursor on a folder one may not see is a 404.
        await staffFolder(db, actor, folderId, false);
        throw error;
      }
      const key = gedPages.key(folderId, query.cursor ?? '', query.limit);
      const cached = gedPages.get(key);
      if (cached) {
        assertStaffCanSeeFile(actor, cached.scope);
        return cached.body;
      }
      const begun = gedPages.begin();
      const found = await repo.findFolderPage(db, {
        firmId: actor.firmId,
        folderId,
        limit: query.limit + 1,
        ...(after ? { after } : {}),
      });
      if (!found) throw new AppError('NOT_FOUND');
      assertStaffCanSeeFile(actor, found.file);
      // The documents come as the API sends them (the repository builds them in SQL).
      const items = found.documents.slice(0, query.limit);
      const last = items[items.length - 1];
      const body = Buffer.from(
        serializeDocumentPage({
          items,
          nextCursor:
            found.documents.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
        }),
      );
      gedPages.store(key, begun, { scope: found.file, body });
      return body;
    },

    /** Checks access before a byte is read, then stores each part and commits its row. */
    async upload(
      actor: StaffActor,
      origin: RequestOrigin,
      folderId: string,
      parts: AsyncIterable<MultipartPart>,
    ) {
      const folder = await staffFolder(db, actor, folderId, true);
      const name = await actorName(db, actor);
      const outcomes = await receiveParts(blobs, parts, config.uploadMaxBytes, (upload) =>
        db.transaction(async (tx) => {
          // Re-checked at commit time: the folder may have gone while the file was streaming.
          const current = await staffFolder(tx, actor, folderId, true);
          const stored = await storeDocument(tx, {
            firmId: current.firmId,
            fileId: current.fileId,
            folderId,
            upload,
            by: { type: 'staff', id: actor.staffId, name },
            visibleToClient: true,
          });
          if (!stored.created) return { duplicateOf: stored.row };
          await recordAudit(tx, origin, {
            action: 'document.uploaded',
            targetType: 'document',
            targetId: stored.row.id,
            details: { fileId: folder.fileId, folderId, name: stored.row.name, sha256: stored.row.sha256 },
          });
          return { document: stored.row };
        }),
      );
      return outcomes.map((o) => toResult(o, 'DUPLICATE_DOCUMENT', 'Déjà déposé le'));
    },

    async updateDocument(actor: StaffActor, origin: RequestOrigin, docId: string, input: GedDocumentUpdate) {
      return db.transaction(async (tx) => {
        const doc = await staffDocument(tx, actor, docId, true);
        if (doc.deletedAt) throw new AppError('NOT_FOUND');
        const changes: Partial<repo.NewDocument> = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.visibleToClient !== undefined) changes.visibleToClient = input.visibleToClient;
        if (input.fiscalYear !== undefined) changes.fiscalYear = input.fiscalYear;
        if (input.folderId !== undefined && input.folderId !== doc.folderId) {
          const target = await repo.findFolder(tx, actor.firmId, input.folderId);
          if (!target || target.fileId !== doc.fileId) throw new AppError('NOT_FOUND');
          changes.folderId = input.folderId;
        }
        const updated = Object.keys(changes).length ? await repo.updateDocument(tx, docId, changes) : doc;
        if (!updated) throw new AppError('NOT_FOUND');
        await recordAudit(tx, origin, {
          action: 'document.updated',
          targetType: 'document',
          targetId: docId,
          details: { fileId: doc.fileId, ...input },
        });
        return toDocument(updated);
      });
    },

    /** A new version: the document keeps its id, the history keeps every earlier version. */
    async addVersion(
      actor: StaffActor,
      origin: RequestOrigin,
      docId: string,
      parts: AsyncIterable<MultipartPart>,
    ) {
      const doc = await staffDocument(db, actor, docId, true);
      if (doc.deletedAt) throw new AppError('NOT_FOUND');
      const name = await actorName(db, actor);
      let taken = false;
      const outcomes = await receiveParts(blobs, parts, config.uploadMaxBytes, async (upload) => {
        if (taken) throw new AppError('BAD_REQUEST', 'Une seule nouvelle version à la fois.');
        taken = true;
        try {
          return await db.transaction(async (tx) => {
            const current = await staffDocument(tx, actor, docId, true);
            if (current.deletedAt) throw new AppError('NOT_FOUND');
            if (current.sha256 === upload.sha256) return { duplicateOf: current };
            const version = current.version + 1;
            const now = new Date();
            const updated = await repo.updateDocument(tx, docId, {
              name: upload.displayName,
              mime: upload.detectedMime,
              size: upload.size,
              sha256: upload.sha256,
              blobKey: upload.key,
              version,
              addedByType: 'staff',
              addedById: actor.staffId,
              addedByName: name,
              addedAt: now,
              contentText: upload.text,
            });
            if (!updated) throw new AppError('NOT_FOUND');
            await repo.insertVersion(tx, {
              documentId: docId,
              version,
              name: upload.displayName,
              mime: upload.detectedMime,
              size: upload.size,
              sha256: upload.sha256,
              blobKey: upload.key,
              addedByType: 'staff',
              addedById: actor.staffId,
              addedByName: name,
              addedAt: now,
            });
            await recordAudit(tx, origin, {
              action: 'document.version_added',
              targetType: 'document',
              targetId: docId,
              details: { fileId: current.fileId, version, sha256: upload.sha256 },
            });
            return { document: updated };
          });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          const other = await repo.findLiveBySha(db, doc.fileId, upload.sha256);
          if (!other) throw err;
          return { duplicateOf: other };
        }
      });
      return outcomes.map((o) => toResult(o, 'DUPLICATE_DOCUMENT', 'Déjà déposé le'));
    },

    async listVersions(actor: StaffActor, docId: string) {
      const doc = await staffDocument(db, actor, docId, false);
      const versions = await repo.listVersions(db, docId);
      return {
        items: versions.map((v) => ({
          version: v.version,
          name: v.name,
          mime: v.mime,
          size: v.size,
          sha256: v.sha256,
          addedBy: { type: v.addedByType, name: v.addedByName },
          addedAt: v.addedAt.toISOString(),
          current: v.version === doc.version,
        })),
      };
    },

    async binDocument(actor: StaffActor, origin: RequestOrigin, docId: string) {
      await db.transaction(async (tx) => {
        const doc = await staffDocument(tx, actor, docId, true);
        if (doc.deletedAt) return;
        await repo.updateDocument(tx, docId, { deletedAt: new Date(), deletedBy: actor.staffId });
        await recordAudit(tx, origin, {
          action: 'document.deleted',
          targetType: 'document',
          targetId: docId,
          details: { fileId: doc.fileId, name: doc.name },
        });
      });
    },

    async restoreDocument(actor: StaffActor, origin: RequestOrigin, docId: string) {
      try {
        return await db.transaction(async (tx) => {
          const doc = await staffDocument(tx, actor, docId, true);
          if (!doc.deletedAt) return toDocument(doc);
          const restored = await repo.updateDocument(tx, docId, { deletedAt: null, deletedBy: null });
          if (!restored) throw new AppError('NOT_FOUND');
          await recordAudit(tx, origin, {
            action: 'document.restored',
            targetType: 'document',
            targetId: docId,
            details: { fileId: doc.fileId, name: doc.name },
          });
          return toDocument(restored);
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('DUPLICATE_DOCUMENT', 'Un document identique est déjà présent dans la GED.');
        throw err;
      }
    },

    async listBin(actor: StaffActor, fileId: string) {
      await staffFile(db, actor, fileId, false);
      const rows = await repo.listBin(db, fileId);
      return {
        items: rows.map((r) => ({
          ...toDocument(r),
          folderName: r.folderName,
          deletedAt: (r.deletedAt as Date).toISOString(),
        })),
      };
    },

    async search(actor: StaffActor, fileId: string, query: GedSearchQuery) {
      await staffFile(db, actor, fileId, false);
      const rows = await repo.searchDocuments(db, fileId, {
        q: query.q,
        visibleOnly: false,
        ...(query.folderId ? { folderIds: [query.folderId] } : {}),
        mime: query.mime,
        from: query.from,
        to: query.to,
        fiscalYear: query.fiscalYear,
        limit: 50,
      });
      const excerpts = await repo.snippets(
        db,
        rows.map((r) => r.id),
        query.q,
      );
      return {
        items: rows.map((r) => ({
          ...toDocument(r),
          folderName: r.folderName,
          rank: r.rank,
          snippet: excerpts.get(r.id) ?? null,
        })),
      };
    },

    /** The document to serve to staff, with an audit entry. */
    async documentForDownload(actor: StaffActor, origin: RequestOrigin, docId: string, record: boolean) {
      const doc = await staffDocument(db, actor, docId, false);
      if (record) await auditDownload(db, origin, doc);
      return doc;
    },

    // ---- Client ---------------------------------------------------------------------------------
    async clientFolders(actor: ClientActor, fileId: string) {
      const { folders } = await clientView(actor, fileId);
      const counts = new Map(
        (await repo.listFolders(db, fileId, true)).map((r) => [r.folder.id, r.documentCount] as const),
      );
      return {
        items: folders.map((f) => {
          const { visibleToClient: _hidden, ...dto } = folderDto(f, counts.get(f.id) ?? 0);
          return dto;
        }),
      };
    },

    async clientDocuments(
      actor: ClientActor,
      folderId: string,
      query: { cursor?: string | undefined; limit: number },
    ) {
      const folder = await repo.findFolder(db, actor.firmId, folderId);
      if (!folder) throw new AppError('NOT_FOUND');
      const { folderIds } = await clientView(actor, folder.fileId);
      if (!folderIds.includes(folderId)) throw new AppError('NOT_FOUND');
      const after = cursorOf(query.cursor);
      const rows = await repo.listDocuments(db, {
        folderIds: [folderId],
        visibleOnly: true,
        limit: query.limit + 1,
        ...(after ? { after } : {}),
      });
      const result = page(rows, query.limit);
      return { ...result, items: result.items.map(clientDocument) };
    },

    async clientSearch(actor: ClientActor, fileId: string, q: string) {
      const { folderIds } = await clientView(actor, fileId);
      const rows = await repo.searchDocuments(db, fileId, { q, folderIds, visibleOnly: true, limit: 50 });
      return {
        items: rows.map((r) => ({
          ...clientDocument(toDocument(r)),
          folderName: r.folderName,
          rank: r.rank,
        })),
      };
    },

    async clientDocumentForDownload(
      actor: ClientActor,
      origin: RequestOrigin,
      docId: string,
      record: boolean,
    ) {
      const doc = await repo.findDocument(db, actor.firmId, docId);
      if (!doc || doc.deletedAt || !doc.visibleToClient) throw new AppError('NOT_FOUND');
      const { folderIds } = await clientView(actor, doc.fileId);
      if (!folderIds.includes(doc.folderId)) throw new AppError('NOT_FOUND');
      if (record) await auditDownload(db, origin, doc);
      return doc;
    },
  };
}

export type GedService = ReturnType<typeof createGedService>;

function clientDocument(doc: GedDocument) {
  const { visibleToClient: _hidden, ...rest } = doc;
  return rest;
}

async function auditDownload(db: DbOrTx, origin: RequestOrigin, doc: repo.DocumentSummary) {
  await recordAudit(db, origin, {
    action: 'document.downloaded',
    targetType: 'document',
    targetId: doc.id,
    details: { fileId: doc.fileId, name: doc.name, version: doc.version },
  });
}

type Committed = { document: repo.DocumentSummary } | { duplicateOf: repo.DocumentSummary };

/** One upload result as the API answers it. */
function toResult(outcome: PartOutcome<Committed>, duplicateCode: string, duplicateText: string) {
  if (!outcome.ok) {
    return {
      name: outcome.name,
      ok: false,
      error: { code: String(outcome.error.code), message: outcome.error.message },
    };
  }
  const value = outcome.value;
  if ('duplicateOf' in value) {
    return {
      name: outcome.name,
      ok: false,
      error: { code: duplicateCode, message: `${duplicateText} ${dateFr(value.duplicateOf.addedAt)}` },
    };
  }
  return { name: outcome.name, ok: true, document: toDocument(value.document) };
}
