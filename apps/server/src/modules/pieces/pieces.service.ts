import type { PieceUpdate } from '@passerelle/contracts/ged';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import {
  assertClientCapability,
  assertStaffCanChangeFile,
  assertStaffCanSeeFile,
  type ClientActor,
  type ClientFileAccess,
  clientFileAccess,
  type StaffActor,
} from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import * as gedRepo from '../ged/ged.repository.ts';
import {
  actorName,
  decodeCursor,
  encodeCursor,
  ensureFolders,
  storeDocument,
  toDocument,
} from '../ged/ged.service.ts';
import { clientVisibleFolders } from '../ged/ged.tree.ts';
import { dateFr, type MultipartPart, receiveParts } from '../ged/ged.upload.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import { findFirm } from '../services/services.repository.ts';
import { pieceRejectedMail } from './pieces.mails.ts';
import * as repo from './pieces.repository.ts';

const toPiece = (row: repo.PieceRow) => ({
  id: row.id,
  fileId: row.fileId,
  fileCode: row.fileCode,
  fileName: row.fileName,
  documentId: row.documentId,
  name: row.name,
  mime: row.mime,
  size: row.size,
  status: row.status,
  reason: row.reason,
  depositedBy: { contactId: row.contactId, name: `${row.contactFirstName} ${row.contactLastName}` },
  depositedAt: row.depositedAt.toISOString(),
  processedAt: row.processedAt?.toISOString() ?? null,
});

const toClientPiece = (row: repo.PieceRow) => ({
  id: row.id,
  name: row.name,
  size: row.size,
  status: row.status,
  reason: row.reason,
  depositedAt: row.depositedAt.toISOString(),
});

/** The current month in Paris, YYYY-MM. */
export function parisMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
  })
    .formatToParts(now)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}`;
}

/**
 * Which pieces a contact sees: all of the file's when unrestricted; only their own when
 * "Limité à" (the inbox is outside their folders, a payroll assistant should not see invoices).
 */
const ownOnly = (access: ClientFileAccess, actor: ClientActor) =>
  access.limitedTo === null ? undefined : actor.contactId;

export function createPiecesService(ctx: AppContext, mail: MailModule) {
  const { db, blobs, config } = ctx;

  return {
    // ---- Client ---------------------------------------------------------------------------------
    async deposit(
      actor: ClientActor,
      origin: RequestOrigin,
      fileId: string,
      parts: AsyncIterable<MultipartPart>,
    ) {
      // Checked before a byte is read, and again when each piece is committed.
      const access = await clientFileAccess(db, actor, fileId);
      assertClientCapability(access, 'pieces.deposit');
      const name = await actorName(db, actor);
      const outcomes = await receiveParts(blobs, parts, config.uploadMaxBytes, (upload) =>
        db.transaction(async (tx) => {
          const live = await clientFileAccess(tx, actor, fileId);
          assertClientCapability(live, 'pieces.deposit');
          const inbox = await ensureFolders(tx, live.firmId, fileId);
          const stored = await storeDocument(tx, {
            firmId: live.firmId,
            fileId,
            folderId: inbox.id,
            upload,
            by: { type: 'client', id: actor.contactId, name },
            visibleToClient: true,
          });
          if (!stored.created) return { duplicateOf: stored.row };
          const piece = await repo.insertPiece(tx, {
            firmId: live.firmId,
            fileId,
            documentId: stored.row.id,
            contactId: actor.contactId,
          });
          if (!piece) throw new AppError('INTERNAL');
          await recordAudit(tx, origin, {
            action: 'piece.uploaded',
            targetType: 'file',
            targetId: fileId,
            details: {
              pieceId: piece.id,
              documentId: stored.row.id,
              name: stored.row.name,
              sha256: upload.sha256,
            },
          });
          return { piece, document: stored.row };
        }),
      );
      return outcomes.map((o) => {
        if (!o.ok) return { name: o.name, ok: false, code: String(o.error.code), message: o.error.message };
        const v = o.value;
        if (v.duplicateOf)
          return {
            name: o.name,
            ok: false,
            code: 'DUPLICATE_PIECE',
            message: `Déjà déposée le ${dateFr(v.duplicateOf.addedAt)}`,
          };
        return {
          name: o.name,
          ok: true,
          piece: {
            id: v.piece.id,
            name: v.document.name,
            size: v.document.size,
            status: v.piece.status,
            depositedAt: v.piece.depositedAt.toISOString(),
          },
        };
      });
    },

    async clientList(
      actor: ClientActor,
      fileId: string,
      query: { month?: string | undefined; cursor?: string | undefined; limit: number },
    ) {
      const access = await clientFileAccess(db, actor, fileId);
      if (!access.capabilities.includes('pieces.deposit')) assertClientCapability(access, 'dashboard.read');
      // Access answers first (a file one may not see is a 404 whatever the cursor).
      const after = pieceCursor(query.cursor);
      const rows = await repo.listFilePieces(db, fileId, {
        month: query.month,
        contactId: ownOnly(access, actor),
        after,
        limit: query.limit + 1,
      });
      return {
        items: rows.slice(0, query.limit).map(toClientPiece),
        nextCursor: nextPieceCursor(rows, query.limit),
      };
    },

    async clientDashboard(actor: ClientActor, fileId: string) {
      const access = await clientFileAccess(db, actor, fileId);
      assertClientCapability(access, 'dashboard.read');
      const month = parisMonth();
      const contactId = ownOnly(access, actor);
      const counts = await repo.countByStatus(db, fileId, { month, contactId });
      const latest = await repo.listFilePieces(db, fileId, { contactId, limit: 10 });
      let latestDocuments: ReturnType<typeof toDocument>[] = [];
      if (access.capabilities.includes('ged.read')) {
        await ensureFolders(db, access.firmId, fileId);
        const folders = clientVisibleFolders(
          (await gedRepo.listFolders(db, fileId)).map((r) => r.folder),
          access.limitedTo,
        );
        latestDocuments = (
          await gedRepo.latestShared(
            db,
            fileId,
            folders.map((f) => f.id),
            5,
          )
        ).map(toDocument);
      }
      return {
        pieces: { month, ...counts, items: latest.map(toClientPiece) },
        latestDocuments: latestDocuments.map(({ visibleToClient: _hidden, ...d }) => d),
        // Key figures come from the FEC module (figures engineer): added here when it exports a
        // per-file reader for the client; always null when the contact is not allowed figures.
        figures: null,
      };
    },

    // ---- Firm -----------------------------------------------------------------------------------
    async inbox(
      actor: StaffActor,
      query: {
        fileId?: string | undefined;
        status?: repo.PieceStatus | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      let fileIds: string[] | null = null;
      if (query.fileId) {
        assertStaffCanSeeFile(actor, await findFile(db, actor.firmId, query.fileId));
        fileIds = [query.fileId];
      } else if (actor.role === 'collaborateur' && !actor.seesAllFiles) {
        fileIds = await repo.responsibleFileIds(db, actor.firmId, actor.staffId);
      }
      const rows = await repo.listInbox(db, {
        firmId: actor.firmId,
        fileIds,
        status: query.status,
        after: pieceCursor(query.cursor),
        limit: query.limit + 1,
      });
      return {
        items: rows.slice(0, query.limit).map(toPiece),
        nextCursor: nextPieceCursor(rows, query.limit),
      };
    },

    async process(actor: StaffActor, origin: RequestOrigin, pieceId: string, input: PieceUpdate) {
      return db.transaction(async (tx) => {
        const piece = await repo.findPiece(tx, actor.firmId, pieceId);
        if (!piece) throw new AppError('NOT_FOUND');
        assertStaffCanChangeFile(actor, await findFile(tx, actor.firmId, piece.fileId));
        const reason = input.status === 'rejetee' ? input.reason : null;
        await repo.setStatus(tx, pieceId, { status: input.status, reason, processedBy: actor.staffId });
        await recordAudit(tx, origin, {
          action: input.status === 'rejetee' ? 'piece.rejected' : 'piece.processed',
          targetType: 'file',
          targetId: piece.fileId,
          details: { pieceId, ...(reason ? { reason } : {}) },
        });
        if (input.status === 'rejetee' && reason) {
          const firm = await findFirm(tx, actor.firmId);
          await mail.outbox.enqueue(
            tx,
            pieceRejectedMail({
              firmId: actor.firmId,
              firmName: firm?.name ?? 'Votre cabinet',
              to: piece.contactEmail,
              firstName: piece.contactFirstName,
              fileName: piece.fileName,
              pieceName: piece.name,
              depositedAt: piece.depositedAt,
              reason,
              url: `${config.publicUrl}/espace`,
            }),
          );
        }
        const updated = await repo.findPiece(tx, actor.firmId, pieceId);
        if (!updated) throw new AppError('NOT_FOUND');
        return toPiece(updated);
      });
    },
  };
}

/** A keyset cursor over pieces, newest first: the last piece's deposit time and id. */
function pieceCursor(cursor: string | undefined): { depositedAt: Date; id: string } | undefined {
  const decoded = decodeCursor(cursor, 2);
  if (!decoded) return undefined;
  const after = { depositedAt: new Date(decoded[0] as string), id: decoded[1] as string };
  if (Number.isNaN(after.depositedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(after.id))
    throw new AppError('VALIDATION_FAILED', 'Curseur de pagination invalide.');
  return after;
}

/** The cursor of the next page when the query (made for one more row than the page) found more. */
function nextPieceCursor(rows: { depositedAt: Date; id: string }[], limit: number): string | null {
  const last = rows[limit - 1];
  return rows.length > limit && last ? encodeCursor([last.depositedAt.toISOString(), last.id]) : null;
}
