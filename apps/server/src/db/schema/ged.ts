import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts } from './collaboration.ts';
import { firms, staffMembers } from './core.ts';
import { clientFiles } from './portfolio.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Millisecond precision: keyset cursors carry these timestamps through JavaScript dates. */
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A folder of a file's GED. Created lazily with the defaults on first access; "Pièces déposées"
 * (`isInbox`) receives the client's deposits and cannot be deleted or moved.
 */
export const gedFolders = pgTable(
  'ged_folders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => gedFolders.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    visibleToClient: boolean('visible_to_client').notNull().default(false),
    isInbox: boolean('is_inbox').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Sibling names are unique regardless of case; top-level folders share the nil parent.
    uniqueIndex('ged_folders_sibling_name_key').on(
      t.fileId,
      sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
    uniqueIndex('ged_folders_inbox_key').on(t.fileId).where(sql`${t.isInbox}`),
  ],
);

/**
 * A document of the GED: its current version's content and metadata. `searchVector` is computed
 * by the database from the name (weight A) and the extracted PDF text (weight B), French stemming.
 */
export const gedDocuments = pgTable(
  'ged_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    folderId: uuid('folder_id')
      .notNull()
      .references(() => gedFolders.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    fiscalYear: integer('fiscal_year'),
    visibleToClient: boolean('visible_to_client').notNull().default(false),
    version: integer('version').notNull().default(1),
    addedByType: text('added_by_type', { enum: ['staff', 'client'] }).notNull(),
    addedById: uuid('added_by_id'),
    addedByName: text('added_by_name').notNull(),
    addedAt: at('added_at').notNull().defaultNow(),
    /** Text of a PDF that carries some, bounded; null when none or not a PDF. */
    contentText: text('content_text'),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('french'::regconfig, coalesce("name", '')), 'A') || setweight(to_tsvector('french'::regconfig, coalesce("content_text", '')), 'B')`,
      ),
    deletedAt: at('deleted_at'),
    deletedBy: uuid('deleted_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    // Keyset pagination of a folder: (name, id) over live documents.
    index('ged_documents_folder_name_idx').on(t.folderId, t.name, t.id).where(sql`${t.deletedAt} is null`),
    // Deduplication: one live document per content in a file's GED (also makes retries idempotent).
    uniqueIndex('ged_documents_file_sha_key').on(t.fileId, t.sha256).where(sql`${t.deletedAt} is null`),
    index('ged_documents_file_added_idx').on(t.fileId, t.addedAt),
    // French search is always per file and often per folder or fiscal year: btree_gin puts those
    // keys in the same GIN as the lexemes, so the bitmap holds only the rows that match them all.
    index('ged_documents_search_idx').using('gin', t.fileId, t.folderId, t.fiscalYear, t.searchVector),
    check(
      'ged_documents_fiscal_year_check',
      sql`${t.fiscalYear} is null or ${t.fiscalYear} between 1900 and 2200`,
    ),
  ],
);

/** Every version of a document, the current one included: the history, and the blobs in use. */
export const gedDocumentVersions = pgTable(
  'ged_document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => gedDocuments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    addedByType: text('added_by_type', { enum: ['staff', 'client'] }).notNull(),
    addedById: uuid('added_by_id'),
    addedByName: text('added_by_name').notNull(),
    addedAt: at('added_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ged_document_versions_key').on(t.documentId, t.version),
    // The orphan sweep asks whether a blob is referenced.
    index('ged_document_versions_blob_idx').on(t.blobKey),
  ],
);

/** A piece deposited by a client: a document of the inbox folder plus its processing state. */
export const pieces = pgTable(
  'pieces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .unique()
      .references(() => gedDocuments.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['a_traiter', 'traitee', 'rejetee'] })
      .notNull()
      .default('a_traiter'),
    reason: text('reason'),
    depositedAt: at('deposited_at').notNull().defaultNow(),
    processedAt: at('processed_at'),
    processedBy: uuid('processed_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    /** When the firm's digest mail covering this piece was queued; null until then. */
    notifiedAt: at('notified_at'),
  },
  (t) => [
    index('pieces_firm_inbox_idx').on(t.firmId, t.depositedAt, t.id),
    index('pieces_file_idx').on(t.fileId, t.depositedAt, t.id),
    index('pieces_unnotified_idx').on(t.fileId).where(sql`${t.notifiedAt} is null`),
    check('pieces_reason_check', sql`${t.status} <> 'rejetee' or ${t.reason} is not null`),
  ],
);
