/**
 * Public types of the FEC library. The server stores and serves these shapes, so they stay plain
 * JSON-compatible data (no classes, no bigint).
 */

/**
 * An amount as an integer number of euro cents. Always a safe integer: the reader refuses a file
 * whose cumulated absolute amounts would exceed Number.MAX_SAFE_INTEGER, so every partial sum of
 * a file is exact.
 */
export type Cents = number;

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;

/** A calendar month as `YYYY-MM`. */
export type IsoMonth = string;

export type FecEncoding = 'utf-8' | 'windows-1252' | 'iso-8859-15' | 'cp850';
export type FecSeparator = '\t' | '|' | ';' | ',';
export type LineEnding = 'LF' | 'CRLF' | 'CR' | 'CRCRLF' | 'mixed' | 'none';
/** `debit-credit`: Debit and Credit columns; `amount-direction`: Montant and Sens columns. */
export type AmountLayout = 'debit-credit' | 'amount-direction';
/** `cash-basis`: the 22-column variant for BNC/BA cash-basis bookkeeping (DateRglt, ModeRglt, NatOp, IdClient). */
export type FecVariant = 'standard' | 'cash-basis';

/** What the reader found out about the file's physical format. */
export interface FecMeta {
  encoding: FecEncoding;
  hasBom: boolean;
  separator: FecSeparator | null;
  lineEnding: LineEnding;
  /** Column names as written in the header (trimmed), trailing empty column removed. */
  columns: string[];
  amountLayout: AmountLayout | null;
  variant: FecVariant | null;
  /** Header columns that are not part of the regulatory layout (ignored). */
  extraColumns: string[];
  /** Whether data lines end with a separator (an empty last field). */
  trailingSeparator: boolean;
}

export type IssueSeverity = 'error' | 'warning';

/** Stable issue codes; the French wording lives in report-fr.ts. */
export type IssueCode =
  // Blocking errors: the file is refused.
  | 'BINARY_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'EMPTY_FILE'
  | 'HEADER_NOT_RECOGNIZED'
  | 'TOO_MANY_COLUMNS'
  | 'DUPLICATE_COLUMN'
  | 'MISSING_COLUMN'
  | 'LINE_TOO_LONG'
  | 'FIELD_COUNT'
  | 'MISSING_VALUE'
  | 'INVALID_DATE'
  | 'INVALID_AMOUNT'
  | 'INVALID_DIRECTION'
  | 'UNBALANCED_ENTRY'
  | 'UNBALANCED_FILE'
  | 'NO_ENTRIES'
  | 'LIMIT_EXCEEDED'
  // Warnings: reported, the file is still accepted.
  | 'EMPTY_FIELD'
  | 'DEBIT_AND_CREDIT'
  | 'ACCOUNT_FORMAT'
  | 'DATE_OUTSIDE_FISCAL_YEAR'
  | 'INVALID_OPTIONAL_FIELD'
  | 'EXTRA_COLUMN'
  | 'AUX_ACCOUNT_WITHOUT_LABEL'
  | 'LETTERING_WITHOUT_DATE'
  | 'OPENING_JOURNAL_WITH_PL_ACCOUNTS'
  | 'BLANK_LINES';

export interface FecIssue {
  code: IssueCode;
  severity: IssueSeverity;
  /** 1-based physical line number in the file (the header is line 1), when the issue is about a line. */
  line: number | null;
  /** Column concerned (regulatory name, e.g. `EcritureDate`), when relevant. */
  column: string | null;
  /** The offending value as read (decoded, shortened), when relevant. */
  value: string | null;
  /** One sentence in French, ready to show. */
  message: string;
}

/** All issues of one code: the total count and the first ones (capped by `maxIssuesPerCode`). */
export interface FecIssueGroup {
  code: IssueCode;
  severity: IssueSeverity;
  count: number;
  issues: FecIssue[];
}

export type OpeningReason = 'code' | 'label' | 'shape';

export interface JournalSummary {
  code: string;
  label: string;
  lineCount: number;
  debitCents: Cents;
  creditCents: Cents;
  firstDate: IsoDate | null;
  lastDate: IsoDate | null;
  /** Opening-balance journal (à-nouveaux): its lines are balances carried forward, not the year's flows. */
  opening: boolean;
  openingReason: OpeningReason | null;
}

export interface FecReport {
  status: 'accepted' | 'refused';
  meta: FecMeta;
  /** Data lines read (header and blank lines excluded). */
  lineCount: number;
  /** EcritureDate range over every line, and over the lines of non-opening journals. */
  period: { first: IsoDate; last: IsoDate } | null;
  flowPeriod: { first: IsoDate; last: IsoDate } | null;
  totals: { debitCents: Cents; creditCents: Cents; balanced: boolean };
  journals: JournalSummary[];
  errorCount: number;
  warningCount: number;
  /** Grouped by code, errors first. */
  issues: FecIssueGroup[];
  /** True when reading stopped before the end of the file because of a structural error. */
  stoppedEarly: boolean;
}

/**
 * One row of the aggregate table: the movements of one account in one month, split between
 * opening-balance journals and the others. This is what the server stores; every figure is
 * computed from these rows.
 */
export interface AccountMonthAggregate {
  /** CompteNum as written (e.g. `41100000`). */
  account: string;
  /** Month of EcritureDate. */
  month: IsoMonth;
  /** Whether these movements come from opening-balance journals. */
  opening: boolean;
  debitCents: Cents;
  creditCents: Cents;
}

export interface AccountLabel {
  account: string;
  label: string;
}

export interface ReadFecOptions {
  /** First day of the fiscal year (`YYYY-MM-DD` or `YYYYMMDD`); enables out-of-year warnings. */
  fiscalYearStart?: string;
  /** Last day of the fiscal year (`YYYY-MM-DD` or `YYYYMMDD`). */
  fiscalYearEnd?: string;
  /** Force the encoding instead of detecting it. */
  encoding?: FecEncoding;
  /** Journal codes to treat as opening journals, in addition to the detected ones. */
  openingJournals?: string[];
  /** Longest accepted line in bytes (default 65,536); longer lines are skipped and reported. */
  maxLineBytes?: number;
  /** Most columns accepted in the header (default 100). */
  maxColumns?: number;
  /** Issues kept per code (default 100); the count is always exact. */
  maxIssuesPerCode?: number;
  /** Most distinct (journal, account) pairs (default 200,000), a guard against hostile files. */
  maxAccounts?: number;
}

export interface ReadFecResult {
  report: FecReport;
  aggregates: AccountMonthAggregate[];
  accounts: AccountLabel[];
  meta: FecMeta;
}
