/**
 * The streaming FEC reader: bytes in, validation report and account-month aggregates out.
 *
 * Memory does not grow with the number of lines: the stream is consumed chunk by chunk, one line
 * at a time (capped), and what is kept is bounded by the ledger's structure — journals,
 * (journal, account, month) movements, unbalanced entries, and the first issues of each kind.
 */

import { MovementAccumulator } from './aggregate.ts';
import { decodeBytes, EncodingSniffer } from './decode.ts';
import { detectHeader, type FecColumn, type HeaderLayout, type HeaderProblem } from './detect.ts';
import { type LineHandler, LineSplitter } from './line-reader.ts';
import { formatIntegerFr } from './money.ts';
import { classifyOpeningJournals, type JournalFacts } from './opening-journals.ts';
import {
  FieldSplitter,
  formatIsoDate,
  INVALID_DATE,
  NO_DATE,
  parseAmountCents,
  parseDate,
  parseDirection,
  parseOptionDate,
  RepeatedText,
  rawText,
  startsWithThreeDigits,
} from './parse.ts';
import { AMOUNT_OUT_OF_RANGE_REASON, describeIssueFr } from './report-fr.ts';
import type {
  AccountLabel,
  Cents,
  FecEncoding,
  FecMeta,
  FecReport,
  JournalSummary,
  OpeningReason,
  ReadFecOptions,
  ReadFecResult,
} from './types.ts';
import { EntryBalanceTracker, IssueCollector } from './validate.ts';

const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const DEFAULT_MAX_COLUMNS = 100;
const DEFAULT_MAX_ISSUES_PER_CODE = 100;
const DEFAULT_MAX_ACCOUNTS = 200_000;
/** Entries left open by a file not sorted by entry (see EntryBalanceTracker): ~100 bytes each. */
const MAX_OPEN_ENTRIES = 250_000;
/** Distinct journal codes: a real ledger has a few dozen. */
const MAX_JOURNALS = 10_000;
/** Bytes of the file's start kept to recognise binary formats. */
const HEAD_BYTES = 512;

/**
 * Reads a FEC from a byte stream. Never throws on bad content: every problem ends up in the
 * report, and a file with blocking errors has `report.status === 'refused'`. On a structural
 * error (binary file, unreadable header) reading stops early and the stream is destroyed.
 */
export async function readFec(
  input: AsyncIterable<Uint8Array | string>,
  options: ReadFecOptions = {},
): Promise<ReadFecResult> {
  const reader = new FecReader(options);
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    if (!reader.push(bytes)) break;
  }
  return reader.finish();
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

interface JournalState {
  code: string;
  labelBytes: Buffer | null;
  lineCount: number;
  debitCents: Cents;
  creditCents: Cents;
  firstDate: number;
  lastDate: number;
  touchesProfitAndLoss: boolean;
  touchesEquity: boolean;
  linesOutsideFiscalYear: number;
  firstLineOutsideFiscalYear: number;
}

/** Incremental reader; `readFec` drives it, tests and benchmarks may too. */
export class FecReader implements LineHandler {
  private readonly maxLineBytes: number;
  private readonly maxColumns: number;
  private readonly maxIssuesPerCode: number;
  private readonly fiscalYearStart: number | null;
  private readonly fiscalYearEnd: number | null;
  private readonly issues: IssueCollector;
  private readonly sniffer = new EncodingSniffer();
  private readonly lines: LineSplitter;
  private readonly movements: MovementAccumulator;
  private readonly entries = new EntryBalanceTracker(MAX_OPEN_ENTRIES);
  private readonly journals = new Map<string, JournalState>();
  private readonly accountLabels = new Map<string, Buffer>();
  private readonly journalCodes = new RepeatedText();
  private readonly entryNumbers = new RepeatedText();
  private lastJournal: JournalState | null = null;

  private head = Buffer.alloc(0);
  private bytesRead = 0;
  private hasBom = false;
  private layout: HeaderLayout | null = null;
  private fields: FieldSplitter | null = null;
  private expectedFields = 0;
  private columnNames: string[] = [];
  private detectedSeparator: FecMeta['separator'] = null;
  private stoppedEarly = false;
  /** Whether lines end with a separator; null until the header or first data line tells. */
  private trailingSeparators: boolean | null = null;

  private lineCount = 0;
  private blankLines = 0;
  private firstBlankLine = 0;
  private debitTotal = 0;
  private creditTotal = 0;
  /** Sum of absolute amounts: while below 2^53, every partial sum of the file is exact. */
  private absoluteTotal = 0;
  private firstDate = 0;
  private lastDate = 0;

  constructor(private readonly options: ReadFecOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
    this.maxIssuesPerCode = options.maxIssuesPerCode ?? DEFAULT_MAX_ISSUES_PER_CODE;
    this.issues = new IssueCollector(this.maxIssuesPerCode);
    this.movements = new MovementAccumulator(options.maxAccounts ?? DEFAULT_MAX_ACCOUNTS);
    this.lines = new LineSplitter(this, this.maxLineBytes);
    this.fiscalYearStart =
      options.fiscalYearStart === undefined
        ? null
        : parseOptionDate(options.fiscalYearStart, 'fiscalYearStart');
    this.fiscalYearEnd =
      options.fiscalYearEnd === undefined ? null : parseOptionDate(options.fiscalYearEnd, 'fiscalYearEnd');
  }

  /** Feeds a chunk. Returns false when reading should stop (structural error). */
  push(chunk: Buffer): boolean {
    if (this.stoppedEarly) return false;
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    this.bytesRead += chunk.length;
    this.sniffer.observe(chunk);
    if (!this.lines.push(chunk)) this.stoppedEarly = true;
    return !this.stoppedEarly;
  }

  onLineTooLong(lineNumber: number, prefix: Buffer): boolean {
    if (lineNumber === 1) {
      if (this.refuseBinary()) return false;
      // A header that long may be a FEC header with thousands of columns: say so when it is.
      const detection = detectHeader(prefix, this.maxColumns);
      const tooMany = detection.ok
        ? null
        : detection.problems.find((problem) => problem.kind === 'too-many-columns');
      if (tooMany?.kind === 'too-many-columns') {
        this.issues.add('TOO_MANY_COLUMNS', 1, null, null, {
          count: `plus de ${formatIntegerFr(tooMany.count - 1)}`,
          max: tooMany.max,
        });
      } else {
        this.issues.add('LINE_TOO_LONG', 1, null, null, { max: this.maxLineBytes });
      }
      return false;
    }
    this.issues.add('LINE_TOO_LONG', lineNumber, null, null, { max: this.maxLineBytes });
    return true;
  }

  onLine(bytes: Buffer, start: number, end: number, lineNumber: number): boolean {
    if (lineNumber === 1) return this.readHeader(bytes, start, end);
    if (this.fields === null || this.layout === null) return false;
    this.readDataLine(bytes, start, end, lineNumber, this.fields, this.layout.positions);
    return !this.stoppedEarly;
  }

  finish(): ReadFecResult {
    this.lines.end();
    if (this.bytesRead === 0) this.issues.add('EMPTY_FILE', null);
    else if (this.layout === null && !this.stoppedEarly && this.lines.linesRead === 0) {
      this.issues.add('EMPTY_FILE', null);
    } else if (this.layout !== null && this.lineCount === 0 && !this.stoppedEarly) {
      this.issues.add('NO_ENTRIES', null);
    }
    if (this.blankLines > 0) {
      this.issues.add('BLANK_LINES', this.firstBlankLine, null, null, { count: this.blankLines });
    }

    const encoding: FecEncoding = this.options.encoding ?? this.sniffer.detect(this.hasBom);
    const text = (raw: string) => fromRawText(raw, encoding);

    this.checkEntries(text);
    const balanced = this.debitTotal === this.creditTotal;
    if (!balanced && this.lineCount > 0) {
      this.issues.add('UNBALANCED_FILE', null, null, null, {
        debit: this.debitTotal,
        credit: this.creditTotal,
      });
    }

    const journals = this.summarizeJournals(encoding);
    const openingCodes = new Set(
      journals.filter((journal) => journal.opening).map((journal) => journal.code),
    );
    const aggregates = this.movements
      .toRows((journal) => openingCodes.has(text(journal)))
      .map((row) => ({ ...row, account: text(row.account) }));
    const accounts: AccountLabel[] = [...this.accountLabels]
      .map(([account, label]) => ({ account: text(account), label: decodeBytes(label, encoding) }))
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));

    const meta: FecMeta = {
      encoding,
      hasBom: this.hasBom,
      separator: this.detectedSeparator,
      lineEnding: this.lines.lineEnding(),
      columns: this.columnNames,
      amountLayout: this.layout?.amountLayout ?? null,
      variant: this.layout?.variant ?? null,
      extraColumns: this.layout?.extraColumns ?? [],
      trailingSeparator: this.trailingSeparators === true,
    };
    const errorCount = this.issues.count('error');
    const report: FecReport = {
      status: errorCount > 0 ? 'refused' : 'accepted',
      meta,
      lineCount: this.lineCount,
      period:
        this.firstDate === 0
          ? null
          : { first: formatIsoDate(this.firstDate), last: formatIsoDate(this.lastDate) },
      flowPeriod: periodOf(journals.filter((journal) => !journal.opening)),
      totals: { debitCents: this.debitTotal, creditCents: this.creditTotal, balanced },
      journals,
      errorCount,
      warningCount: this.issues.count('warning'),
      issues: this.issues.toGroups((raw) => decodeBytes(raw, encoding), describeIssueFr),
      stoppedEarly: this.stoppedEarly,
    };
    return { report, aggregates, accounts, meta };
  }

  // --- header ---

  private readHeader(bytes: Buffer, start: number, end: number): boolean {
    if (this.refuseBinary()) return false;
    let headerStart = start;
    if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) {
      this.hasBom = true;
      headerStart += 3;
    }
    const detection = detectHeader(Buffer.from(bytes.subarray(headerStart, end)), this.maxColumns);
    this.detectedSeparator = detection.ok ? detection.layout.separator : detection.separator;
    this.columnNames = detection.ok ? detection.layout.columns : detection.columns;
    if (!detection.ok) {
      for (const problem of detection.problems) this.reportHeaderProblem(problem);
      return false;
    }
    const layout = detection.layout;
    this.layout = layout;
    this.expectedFields = layout.columns.length;
    if (layout.trailingSeparator) this.trailingSeparators = true;
    // Room for one more field than expected: enough to tell "too many" without splitting 10,000.
    this.fields = new FieldSplitter(layout.separatorByte, this.expectedFields + 1);
    for (const column of layout.extraColumns) this.issues.add('EXTRA_COLUMN', 1, column, column);
    return true;
  }

  private reportHeaderProblem(problem: HeaderProblem): void {
    switch (problem.kind) {
      case 'not-recognized':
        this.issues.add('HEADER_NOT_RECOGNIZED', 1, null, problem.firstLine);
        break;
      case 'too-many-columns':
        this.issues.add('TOO_MANY_COLUMNS', 1, null, null, { count: problem.count, max: problem.max });
        break;
      case 'duplicate-column':
        this.issues.add('DUPLICATE_COLUMN', 1, problem.column);
        break;
      case 'missing-column':
        this.issues.add('MISSING_COLUMN', 1, problem.column);
        break;
    }
  }

  /** Refuses the file when its start is a binary format; returns whether it did. */
  private refuseBinary(): boolean {
    const head = this.head;
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      this.issues.add('UNSUPPORTED_ENCODING', 1, null, null, { encoding: 'UTF-16' });
      return true;
    }
    const format = recognizeBinaryFormat(head);
    if (format === null) return false;
    this.issues.add('BINARY_FILE', 1, null, null, { format });
    return true;
  }

  // --- data lines ---

  private readDataLine(
    bytes: Buffer,
    start: number,
    end: number,
    line: number,
    fields: FieldSplitter,
    at: Record<FecColumn, number>,
  ): void {
    const count = fields.split(bytes, start, end);
    const starts = fields.starts;
    const ends = fields.ends;
    if (starts[0] === ends[0] && isBlank(fields, count)) {
      if (this.blankLines++ === 0) this.firstBlankLine = line;
      return;
    }
    if (count !== this.expectedFields) {
      // One more, empty, field is a trailing separator — if the file writes them. That is decided
      // once, by the header or the first data line; otherwise a separator inside a label on a
      // line whose last field is empty would pass for one.
      const endsWithEmptyField =
        count === this.expectedFields + 1 && starts[this.expectedFields] === ends[this.expectedFields];
      if (endsWithEmptyField && this.trailingSeparators === null) this.trailingSeparators = true;
      if (!endsWithEmptyField || !this.trailingSeparators) {
        this.issues.add('FIELD_COUNT', line, null, null, {
          found: count > this.expectedFields + 1 ? `plus de ${this.expectedFields + 1}` : count,
          expected: this.expectedFields,
        });
        return;
      }
    } else if (this.trailingSeparators === null) {
      this.trailingSeparators = false;
    }
    this.lineCount++;
    // No closures in this hot path: fields are read through their positions in `at`.

    // Amounts first: a line whose amount cannot be read is left out of every total.
    let debit: number;
    let credit: number;
    if (at.Montant !== -1) {
      const amount = this.readAmount(bytes, fields, at.Montant, line, 'Montant');
      const direction = parseDirection(bytes, starts[at.Sens] as number, ends[at.Sens] as number);
      if (direction === 0) {
        if (isEmptyField(fields, at.Sens)) this.issues.add('MISSING_VALUE', line, 'Sens');
        else this.issues.add('INVALID_DIRECTION', line, 'Sens', fieldValue(bytes, fields, at.Sens));
      }
      if (Number.isNaN(amount) || direction === 0) return;
      debit = direction === 1 ? amount : 0;
      credit = direction === -1 ? amount : 0;
    } else {
      debit = this.readAmount(bytes, fields, at.Debit, line, 'Debit');
      credit = this.readAmount(bytes, fields, at.Credit, line, 'Credit');
      if (Number.isNaN(debit) || Number.isNaN(credit)) return;
      if (debit !== 0 && credit !== 0)
        this.issues.add('DEBIT_AND_CREDIT', line, null, null, { debit, credit });
    }

    const journalCode = this.journalCodes.read(
      bytes,
      starts[at.JournalCode] as number,
      ends[at.JournalCode] as number,
    );
    const entryNumber = this.entryNumbers.read(
      bytes,
      starts[at.EcritureNum] as number,
      ends[at.EcritureNum] as number,
    );
    const accountStart = starts[at.CompteNum] as number;
    const accountEnd = ends[at.CompteNum] as number;
    const account = rawText(bytes, accountStart, accountEnd);
    if (journalCode === '') this.issues.add('MISSING_VALUE', line, 'JournalCode');
    if (entryNumber === '') this.issues.add('EMPTY_FIELD', line, 'EcritureNum');
    if (account === '') this.issues.add('MISSING_VALUE', line, 'CompteNum');
    else if (!startsWithThreeDigits(bytes, accountStart, accountEnd)) {
      this.issues.add('ACCOUNT_FORMAT', line, 'CompteNum', fieldValue(bytes, fields, at.CompteNum));
    }
    const date = parseDate(bytes, starts[at.EcritureDate] as number, ends[at.EcritureDate] as number);
    if (date === NO_DATE) this.issues.add('MISSING_VALUE', line, 'EcritureDate');
    else if (date === INVALID_DATE) {
      this.issues.add('INVALID_DATE', line, 'EcritureDate', fieldValue(bytes, fields, at.EcritureDate));
    }
    this.checkSecondaryFields(bytes, line, fields, at);

    // Totals
    this.absoluteTotal += Math.abs(debit) + Math.abs(credit);
    if (this.absoluteTotal > Number.MAX_SAFE_INTEGER) {
      this.issues.add('LIMIT_EXCEEDED', line, null, null, { what: 'amounts' });
      this.stoppedEarly = true;
      return;
    }
    this.debitTotal += debit;
    this.creditTotal += credit;
    this.entries.add(journalCode, entryNumber, line, debit - credit);
    const journal = this.journalState(journalCode);
    if (journal === null) {
      this.issues.add('LIMIT_EXCEEDED', line, null, null, { what: 'journals' });
      this.stoppedEarly = true;
      return;
    }
    journal.lineCount++;
    journal.debitCents += debit;
    journal.creditCents += credit;
    if (journal.labelBytes === null && !isEmptyField(fields, at.JournalLib)) {
      journal.labelBytes = copyField(bytes, fields, at.JournalLib);
    }
    const accountClass = bytes[accountStart];
    if (accountClass === 0x36 || accountClass === 0x37) journal.touchesProfitAndLoss = true;
    else if (accountClass === 0x31) journal.touchesEquity = true;
    if (date <= 0) return;

    this.trackDates(journal, date, line);
    if (journalCode === '' || account === '') return;
    if (!this.movements.add(journalCode, account, Math.floor(date / 100), debit, credit)) {
      this.issues.add('LIMIT_EXCEEDED', line, null, null, { what: 'accounts' });
      this.stoppedEarly = true;
      return;
    }
    if (!this.accountLabels.has(account) && !isEmptyField(fields, at.CompteLib)) {
      this.accountLabels.set(account, copyField(bytes, fields, at.CompteLib));
    }
  }

  /** Parses an amount field, reporting it when unreadable; returns NaN then. */
  private readAmount(
    bytes: Buffer,
    fields: FieldSplitter,
    position: number,
    line: number,
    column: FecColumn,
  ) {
    const cents = parseAmountCents(bytes, fields.starts[position] as number, fields.ends[position] as number);
    if (Number.isFinite(cents)) return cents;
    const details: Record<string, string> = Number.isNaN(cents) ? {} : { reason: AMOUNT_OUT_OF_RANGE_REASON };
    this.issues.add('INVALID_AMOUNT', line, column, fieldValue(bytes, fields, position), details);
    return Number.NaN;
  }

  /** Fields that do not feed the figures but that the regulation wants filled and well formed. */
  private checkSecondaryFields(
    bytes: Buffer,
    line: number,
    fields: FieldSplitter,
    at: Record<FecColumn, number>,
  ) {
    const { starts, ends } = fields;
    for (const column of REQUIRED_TEXT_COLUMNS) {
      if (isEmptyField(fields, at[column])) this.issues.add('EMPTY_FIELD', line, column);
    }
    for (const column of DATE_COLUMNS) {
      const position = at[column];
      const date = parseDate(bytes, starts[position] as number, ends[position] as number);
      if (date === INVALID_DATE)
        this.issues.add('INVALID_DATE', line, column, fieldValue(bytes, fields, position));
      else if (date === NO_DATE && column !== 'DateLet') this.issues.add('EMPTY_FIELD', line, column);
    }
    if (!isEmptyField(fields, at.CompAuxNum) && isEmptyField(fields, at.CompAuxLib)) {
      this.issues.add(
        'AUX_ACCOUNT_WITHOUT_LABEL',
        line,
        'CompAuxLib',
        fieldValue(bytes, fields, at.CompAuxNum),
      );
    }
    if (!isEmptyField(fields, at.EcritureLet) && isEmptyField(fields, at.DateLet)) {
      this.issues.add('LETTERING_WITHOUT_DATE', line, 'DateLet', fieldValue(bytes, fields, at.EcritureLet));
    }
    const currency = at.Montantdevise;
    if (
      !isEmptyField(fields, currency) &&
      !Number.isFinite(parseAmountCents(bytes, starts[currency] as number, ends[currency] as number))
    ) {
      this.issues.add('INVALID_OPTIONAL_FIELD', line, 'Montantdevise', fieldValue(bytes, fields, currency));
    }
    const paymentDate = at.DateRglt;
    if (
      paymentDate !== -1 &&
      parseDate(bytes, starts[paymentDate] as number, ends[paymentDate] as number) === INVALID_DATE
    ) {
      this.issues.add('INVALID_OPTIONAL_FIELD', line, 'DateRglt', fieldValue(bytes, fields, paymentDate));
    }
  }

  /** The journal's running state, null when there are already too many journals. */
  private journalState(code: string): JournalState | null {
    // Same string object as the previous line's most of the time (see RepeatedText).
    if (code === this.lastJournal?.code) return this.lastJournal;
    let journal = this.journals.get(code);
    if (journal === undefined) {
      if (this.journals.size >= MAX_JOURNALS) return null;
      journal = {
        code,
        labelBytes: null,
        lineCount: 0,
        debitCents: 0,
        creditCents: 0,
        firstDate: 0,
        lastDate: 0,
        touchesProfitAndLoss: false,
        touchesEquity: false,
        linesOutsideFiscalYear: 0,
        firstLineOutsideFiscalYear: 0,
      };
      this.journals.set(code, journal);
    }
    this.lastJournal = journal;
    return journal;
  }

  private trackDates(journal: JournalState, date: number, line: number): void {
    if (this.firstDate === 0 || date < this.firstDate) this.firstDate = date;
    if (date > this.lastDate) this.lastDate = date;
    if (journal.firstDate === 0 || date < journal.firstDate) journal.firstDate = date;
    if (date > journal.lastDate) journal.lastDate = date;
    const outside =
      (this.fiscalYearStart !== null && date < this.fiscalYearStart) ||
      (this.fiscalYearEnd !== null && date > this.fiscalYearEnd);
    if (outside && journal.linesOutsideFiscalYear++ === 0) journal.firstLineOutsideFiscalYear = line;
  }

  // --- end of file ---

  private checkEntries(text: (raw: string) => string): void {
    const unbalanced = this.entries.finish(this.maxIssuesPerCode);
    for (const entry of unbalanced.first) {
      this.issues.add('UNBALANCED_ENTRY', entry.firstLine, null, null, {
        journal: text(entry.journal),
        entryNumber: text(entry.entryNumber),
        difference: entry.differenceCents,
      });
    }
    this.issues.addCount('UNBALANCED_ENTRY', unbalanced.count - unbalanced.first.length);
    if (!this.entries.complete) {
      this.issues.add('LIMIT_EXCEEDED', null, null, null, { what: 'open-entries', max: MAX_OPEN_ENTRIES });
    }
  }

  private summarizeJournals(encoding: FecEncoding): JournalSummary[] {
    const facts: JournalFacts[] = [...this.journals.values()].map((journal) => ({
      code: journal.code,
      label: journal.labelBytes === null ? '' : decodeBytes(journal.labelBytes, encoding),
      lineCount: journal.lineCount,
      firstDate: journal.firstDate,
      lastDate: journal.lastDate,
      touchesProfitAndLoss: journal.touchesProfitAndLoss,
      touchesEquity: journal.touchesEquity,
    }));
    const classification = classifyOpeningJournals(facts, {
      fiscalYearStart: this.fiscalYearStart,
      openingCodes: this.options.openingJournals ?? [],
    });
    return facts
      .map((fact): JournalSummary => {
        const state = this.journals.get(fact.code) as JournalState;
        const { reason, rejectedForProfitAndLoss } = classification.get(fact.code) ?? {
          reason: null,
          rejectedForProfitAndLoss: false,
        };
        const code = fromRawText(fact.code, encoding);
        if (rejectedForProfitAndLoss) {
          this.issues.add('OPENING_JOURNAL_WITH_PL_ACCOUNTS', null, 'JournalCode', code, { journal: code });
        }
        if (reason === null && state.linesOutsideFiscalYear > 0) {
          this.issues.add(
            'DATE_OUTSIDE_FISCAL_YEAR',
            state.firstLineOutsideFiscalYear,
            'EcritureDate',
            null,
            {
              journal: code,
              count: state.linesOutsideFiscalYear,
              start: this.fiscalYearStart === null ? '' : formatIsoDate(this.fiscalYearStart),
              end: this.fiscalYearEnd === null ? '' : formatIsoDate(this.fiscalYearEnd),
            },
          );
        }
        return {
          code,
          label: fact.label,
          lineCount: fact.lineCount,
          debitCents: state.debitCents,
          creditCents: state.creditCents,
          firstDate: fact.firstDate === 0 ? null : formatIsoDate(fact.firstDate),
          lastDate: fact.lastDate === 0 ? null : formatIsoDate(fact.lastDate),
          opening: reason !== null,
          openingReason: reason as OpeningReason | null,
        };
      })
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}

const REQUIRED_TEXT_COLUMNS = ['JournalLib', 'CompteLib', 'PieceRef', 'EcritureLib'] as const;
const DATE_COLUMNS = ['PieceDate', 'ValidDate', 'DateLet'] as const;

function isEmptyField(fields: FieldSplitter, position: number): boolean {
  return fields.starts[position] === fields.ends[position];
}

/** A field as an issue value (copied by the collector only if the issue is kept). */
function fieldValue(bytes: Buffer, fields: FieldSplitter, position: number) {
  return { bytes, start: fields.starts[position] as number, end: fields.ends[position] as number };
}

function copyField(bytes: Buffer, fields: FieldSplitter, position: number): Buffer {
  const start = fields.starts[position] as number;
  const end = fields.ends[position] as number;
  if (fields.escapedQuotes[position] === 1) return Buffer.from(rawText(bytes, start, end, true), 'latin1');
  return Buffer.from(bytes.subarray(start, end));
}

/** First and last dates over journals (ISO dates compare as strings). */
function periodOf(journals: readonly JournalSummary[]): FecReport['flowPeriod'] {
  let first: string | null = null;
  let last: string | null = null;
  for (const { firstDate, lastDate } of journals) {
    if (firstDate !== null && (first === null || firstDate < first)) first = firstDate;
    if (lastDate !== null && (last === null || lastDate > last)) last = lastDate;
  }
  return first === null || last === null ? null : { first, last };
}

function isBlank(fields: FieldSplitter, count: number): boolean {
  for (let i = 0; i < count; i++) if (fields.starts[i] !== fields.ends[i]) return false;
  return true;
}

/** Keys were read as one character per byte; decode them for real, which changes only non-ASCII ones. */
function fromRawText(raw: string, encoding: FecEncoding): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(raw)) return raw;
  return decodeBytes(Buffer.from(raw, 'latin1'), encoding);
}

const BINARY_SIGNATURES: ReadonlyArray<[string, number[]]> = [
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['ZIP (XLSX, ODS, DOCX…)', [0x50, 0x4b, 0x03, 0x04]],
  ['XLS (Excel 97-2003)', [0xd0, 0xcf, 0x11, 0xe0]],
  ['GZIP', [0x1f, 0x8b]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
];

/** The name of a recognised binary format, `binaire` for other binary data, null for text. */
function recognizeBinaryFormat(head: Buffer): string | null {
  for (const [name, signature] of BINARY_SIGNATURES) {
    if (signature.every((byte, i) => head[i] === byte)) return name;
  }
  // Text never contains NUL, and C0 controls other than TAB, CR, LF are rare: a few percent of
  // them in the first bytes means binary data.
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return 'binaire';
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) controls++;
  }
  return controls > Math.max(2, head.length / 50) ? 'binaire' : null;
}
