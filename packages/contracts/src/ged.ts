import { z } from 'zod';

/**
 * GED (documents) and pieces: request/response contracts shared by the server and the web app.
 * Upload routes are multipart (`multipart/form-data`, one or several `file` parts); their
 * responses are JSON and described here.
 */

const trimmed = (max: number) => z.string().trim().min(1).max(max);

// ---- Folders ------------------------------------------------------------------------------
export const gedFolderSchema = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  name: z.string(),
  visibleToClient: z.boolean(),
  /** Live (not binned) documents directly in this folder. */
  documentCount: z.number().int(),
  /** True for the file's "Pièces déposées" folder (client deposits land there; it cannot be deleted). */
  isInbox: z.boolean(),
});
export type GedFolder = z.infer<typeof gedFolderSchema>;
export const gedFolderListSchema = z.object({ items: z.array(gedFolderSchema) });

export const gedFolderCreateSchema = z.object({
  parentId: z.uuid().nullable(),
  name: trimmed(120),
});
export type GedFolderCreate = z.infer<typeof gedFolderCreateSchema>;
export const gedFolderUpdateSchema = z.object({
  name: trimmed(120).optional(),
  parentId: z.uuid().nullable().optional(),
  visibleToClient: z.boolean().optional(),
});
export type GedFolderUpdate = z.infer<typeof gedFolderUpdateSchema>;

// ---- Documents ----------------------------------------------------------------------------
export const fiscalYearSchema = z.number().int().min(1900).max(2200);

export const gedAddedBySchema = z.object({
  type: z.enum(['staff', 'client']),
  name: z.string(),
});

export const gedDocumentSchema = z.object({
  id: z.uuid(),
  folderId: z.uuid(),
  name: z.string(),
  /** Detected by content, never the client's claim. */
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  fiscalYear: z.number().int().nullable(),
  visibleToClient: z.boolean(),
  addedBy: gedAddedBySchema,
  /** ISO date-time of the current version. */
  addedAt: z.string(),
  /** 1 for the first upload, +1 for each new version. */
  version: z.number().int(),
});
export type GedDocument = z.infer<typeof gedDocumentSchema>;

/** Keyset page: pass `nextCursor` back as `cursor`; null when there is nothing more. */
export const gedDocumentPageSchema = z.object({
  items: z.array(gedDocumentSchema),
  nextCursor: z.string().nullable(),
});
export type GedDocumentPage = z.infer<typeof gedDocumentPageSchema>;

export const pageQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const gedDocumentUpdateSchema = z.object({
  name: trimmed(200).optional(),
  folderId: z.uuid().optional(),
  visibleToClient: z.boolean().optional(),
  fiscalYear: fiscalYearSchema.nullable().optional(),
});
export type GedDocumentUpdate = z.infer<typeof gedDocumentUpdateSchema>;

export const gedVersionSchema = z.object({
  version: z.number().int(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  addedBy: gedAddedBySchema,
  addedAt: z.string(),
  current: z.boolean(),
});
export type GedVersion = z.infer<typeof gedVersionSchema>;
export const gedVersionListSchema = z.object({ items: z.array(gedVersionSchema) });

export const gedBinItemSchema = gedDocumentSchema.extend({
  folderName: z.string(),
  deletedAt: z.string(),
});
export const gedBinSchema = z.object({ items: z.array(gedBinItemSchema) });

/** `?disposition=` of the content routes: inline only for PDF and raster images, else attachment. */
export const contentQuerySchema = z.object({
  disposition: z.enum(['inline', 'attachment']).default('attachment'),
});

// ---- Upload results (one per file part) ---------------------------------------------------
export const uploadErrorSchema = z.object({ code: z.string(), message: z.string() });

export const gedUploadResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  document: gedDocumentSchema.optional(),
  /** e.g. DUPLICATE_DOCUMENT ("Déjà déposé le 12/03/2026"), FILE_TYPE_MISMATCH, FILE_EMPTY… */
  error: uploadErrorSchema.optional(),
});
export type GedUploadResult = z.infer<typeof gedUploadResultSchema>;
export const gedUploadResponseSchema = z.object({ results: z.array(gedUploadResultSchema) });
export type GedUploadResponse = z.infer<typeof gedUploadResponseSchema>;

// ---- Search -------------------------------------------------------------------------------
export const gedSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  folderId: z.uuid().optional(),
  mime: z.string().max(100).optional(),
  /** Added at or after (ISO date). */
  from: z.iso.date().optional(),
  /** Added at or before (ISO date, inclusive). */
  to: z.iso.date().optional(),
  fiscalYear: z.coerce.number().int().min(1900).max(2200).optional(),
});
export type GedSearchQuery = z.infer<typeof gedSearchQuerySchema>;
export const gedSearchHitSchema = gedDocumentSchema.extend({
  folderName: z.string(),
  rank: z.number(),
  /** Short excerpt of the PDF text around the match, when the text matched. */
  snippet: z.string().nullable(),
});
export type GedSearchHit = z.infer<typeof gedSearchHitSchema>;
export const gedSearchResultSchema = z.object({ items: z.array(gedSearchHitSchema) });

// ---- Pieces -------------------------------------------------------------------------------
export const pieceStatusSchema = z.enum(['a_traiter', 'traitee', 'rejetee']);
export type PieceStatus = z.infer<typeof pieceStatusSchema>;

export const pieceSchema = z.object({
  id: z.uuid(),
  fileId: z.uuid(),
  fileCode: z.string(),
  fileName: z.string(),
  documentId: z.uuid(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  status: pieceStatusSchema,
  reason: z.string().nullable(),
  depositedBy: z.object({ contactId: z.uuid(), name: z.string() }),
  depositedAt: z.string(),
  processedAt: z.string().nullable(),
});
export type Piece = z.infer<typeof pieceSchema>;

export const pieceInboxQuerySchema = z.object({
  fileId: z.uuid().optional(),
  status: pieceStatusSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const piecePageSchema = z.object({ items: z.array(pieceSchema), nextCursor: z.string().nullable() });
export type PiecePage = z.infer<typeof piecePageSchema>;

export const pieceUpdateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('traitee') }),
  z.object({ status: z.literal('rejetee'), reason: trimmed(500) }),
]);
export type PieceUpdate = z.infer<typeof pieceUpdateSchema>;

export const pieceUploadResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  piece: z
    .object({
      id: z.uuid(),
      name: z.string(),
      size: z.number().int(),
      status: pieceStatusSchema,
      depositedAt: z.string(),
    })
    .optional(),
  /** Present when ok is false: DUPLICATE_PIECE ("Déjà déposée le 12/03/2026"), FILE_TYPE_REFUSED… */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type PieceUploadResult = z.infer<typeof pieceUploadResultSchema>;
export const pieceUploadResponseSchema = z.object({ results: z.array(pieceUploadResultSchema) });

// ---- Client space -------------------------------------------------------------------------
export const clientPieceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  size: z.number().int(),
  status: pieceStatusSchema,
  /** The firm's reason, shown to the client when the piece was rejected. */
  reason: z.string().nullable(),
  depositedAt: z.string(),
});
export type ClientPiece = z.infer<typeof clientPieceSchema>;
/** Keyset page of the client's pieces, newest first: pass `nextCursor` back as `cursor`. */
export const clientPieceListSchema = z.object({
  items: z.array(clientPieceSchema),
  nextCursor: z.string().nullable(),
});
export const clientPiecesQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const clientGedDocumentSchema = gedDocumentSchema.omit({ visibleToClient: true });
export type ClientGedDocument = z.infer<typeof clientGedDocumentSchema>;
export const clientGedFolderSchema = gedFolderSchema.omit({ visibleToClient: true });
export const clientGedFolderListSchema = z.object({ items: z.array(clientGedFolderSchema) });
export const clientGedDocumentPageSchema = z.object({
  items: z.array(clientGedDocumentSchema),
  nextCursor: z.string().nullable(),
});
export const clientGedSearchResultSchema = z.object({
  items: z.array(clientGedDocumentSchema.extend({ folderName: z.string(), rank: z.number() })),
});

export const clientDashboardSchema = z.object({
  pieces: z.object({
    /** YYYY-MM, the current month (Europe/Paris). */
    month: z.string(),
    aTraiter: z.number().int(),
    traitees: z.number().int(),
    rejetees: z.number().int(),
    /** Latest 10 pieces, newest first. */
    items: z.array(clientPieceSchema),
  }),
  latestDocuments: z.array(clientGedDocumentSchema),
  /** Key figures from the FEC; null until available, or when the contact is limited without figures. */
  figures: z.unknown().nullable(),
});
export type ClientDashboard = z.infer<typeof clientDashboardSchema>;
