import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { firms, staffMembers } from './core.ts';
import { clientFiles } from './portfolio.ts';

/**
 * One FEC upload for a file and fiscal year, accepted or refused, with the reader's report.
 * Of the accepted imports of a (file, fiscal year), exactly one is `current`: the one the
 * figures come from. Re-importing a year flips it in the same transaction that stores the new
 * aggregates, so a reader never sees a mix. The report is stored as the reader wrote it (issues
 * capped per kind, counts exact); `summary` is its small part, for the history list.
 */
export const fecImports = pgTable(
  'fec_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    /** Null only on a refused file whose year could be told neither from the request nor its name. */
    fiscalYearStart: date('fiscal_year_start'),
    fiscalYearEnd: date('fiscal_year_end'),
    status: text('status', { enum: ['accepted', 'refused'] }).notNull(),
    report: jsonb('report').$type<unknown>().notNull(),
    summary: jsonb('summary').$type<unknown>().notNull(),
    /** The raw file in the blob store; accepted imports only (a refused upload is not kept). */
    blobKey: text('blob_key'),
    originalName: text('original_name').notNull(),
    /** Bytes received (of the whole file when accepted). */
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256'),
    lineCount: integer('line_count').notNull(),
    importedBy: uuid('imported_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    current: boolean('current').notNull().default(false),
  },
  (t) => [
    // A fiscal year is known by its closing date.
    uniqueIndex('fec_imports_current_key').on(t.fileId, t.fiscalYearEnd).where(sql`${t.current}`),
    index('fec_imports_file_idx').on(t.fileId, t.importedAt),
    // The blob store's orphan sweep asks whether a key is referenced.
    index('fec_imports_blob_idx').on(t.blobKey),
    check(
      'fec_imports_accepted_check',
      sql`${t.status} = 'refused' or (${t.fiscalYearStart} is not null and ${t.fiscalYearEnd} is not null and ${t.blobKey} is not null)`,
    ),
    check('fec_imports_current_check', sql`not ${t.current} or ${t.status} = 'accepted'`),
  ],
);

/**
 * The movements of one account in one month of an import, opening-balance journals apart
 * (docs/indicators.md): every key figure is a sum over these rows, so a dashboard reads a few
 * thousand rows, never the ledger.
 */
export const fecAccountMonths = pgTable(
  'fec_account_months',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => fecImports.id, { onDelete: 'cascade' }),
    /** The import's file, for reads by file; no foreign key: the import's cascade covers it. */
    fileId: uuid('file_id').notNull(),
    account: text('account').notNull(),
    /** `YYYY-MM`, month of EcritureDate. */
    month: text('month').notNull(),
    opening: boolean('opening').notNull(),
    debitCents: bigint('debit_cents', { mode: 'number' }).notNull(),
    creditCents: bigint('credit_cents', { mode: 'number' }).notNull(),
  },
  (t) => [index('fec_account_months_import_idx').on(t.importId)],
);
