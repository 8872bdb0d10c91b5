import { type SQL, sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { firms, staffMembers } from './core.ts';

/**
 * Accent folding shared by the database (the generated `search_text` column) and the code
 * that builds search patterns, so both sides fold the same letters the same way. `translate`
 * and `lower` are immutable and locale-free for these letters (`unaccent` is neither), so the
 * column is computed by PostgreSQL 15 and PGlite alike and no extension is needed.
 */
const FOLDED_LETTERS: Record<string, string> = {
  a: 'ÀÁÂÃÄÅàáâãäå',
  c: 'Çç',
  e: 'ÈÉÊËèéêë',
  i: 'ÌÍÎÏìíîï',
  n: 'Ññ',
  o: 'ÒÓÔÕÖòóôõö',
  u: 'ÙÚÛÜùúûü',
  y: 'ÝýÿŸ',
  "'": '’',
};
export const SEARCH_FOLD_FROM = Object.values(FOLDED_LETTERS).join('');
export const SEARCH_FOLD_TO = Object.entries(FOLDED_LETTERS)
  .map(([to, from]) => to.repeat([...from].length))
  .join('');
export const SEARCH_FOLD_PAIRS: [string, string][] = [
  ['Œ', 'oe'],
  ['œ', 'oe'],
  ['Æ', 'ae'],
  ['æ', 'ae'],
];

const sqlString = (value: string) => sql.raw(`'${value.replaceAll("'", "''")}'`);

function foldSql(expression: SQL): SQL {
  let folded = sql`translate(${expression}, ${sqlString(SEARCH_FOLD_FROM)}, ${sqlString(SEARCH_FOLD_TO)})`;
  for (const [from, to] of SEARCH_FOLD_PAIRS)
    folded = sql`replace(${folded}, ${sqlString(from)}, ${sqlString(to)})`;
  return sql`lower(${folded})`;
}

/** A client file (dossier client): one company whose books the firm keeps. */
export const clientFiles = pgTable(
  'client_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    siren: text('siren'),
    legalForm: text('legal_form'),
    fiscalYearEnd: date('fiscal_year_end'),
    responsibleId: uuid('responsible_id').references(() => staffMembers.id, { onDelete: 'set null' }),
    /**
     * Code, name, SIREN and legal form folded (lower case, no accents) for search-as-you-type,
     * with a trigram index so `like '%…%'` does not read every file (see decision 050).
     */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          foldSql(
            sql`"code" || ' ' || "name" || ' ' || coalesce("siren", '') || ' ' || coalesce("legal_form", '')`,
          ),
      ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Codes are unique in a firm regardless of case: "cli001" and "CLI001" are the same file.
    uniqueIndex('client_files_firm_code_key').on(t.firmId, sql`lower(${t.code})`),
    index('client_files_firm_code_idx').on(t.firmId, t.code),
    index('client_files_firm_name_idx').on(t.firmId, t.name),
    index('client_files_firm_responsible_idx').on(t.firmId, t.responsibleId),
    // pg_trgm is created by runMigrations (db/connection.ts) before the migrations run.
    // fastupdate off: rows go straight into the index instead of a pending list that every
    // search would scan until the next vacuum (a 20,000-line import would slow search down).
    index('client_files_search_trgm_idx')
      .using('gin', t.searchText.op('gin_trgm_ops'))
      .with({ fastupdate: false }),
  ],
);
