/**
 * Validation bookkeeping: the issue collector (exact counts, capped samples) and the check that
 * every entry balances.
 */
import type { Cents, FecIssue, FecIssueGroup, IssueCode, IssueSeverity } from './types.ts';

/** Blocking errors refuse the file; warnings are reported only. The order is the report's order. */
export const ISSUE_SEVERITY: Readonly<Record<IssueCode, IssueSeverity>> = {
  BINARY_FILE: 'error',
  UNSUPPORTED_ENCODING: 'error',
  EMPTY_FILE: 'error',
  HEADER_NOT_RECOGNIZED: 'error',
  TOO_MANY_COLUMNS: 'error',
  DUPLICATE_COLUMN: 'error',
  MISSING_COLUMN: 'error',
  LINE_TOO_LONG: 'error',
  FIELD_COUNT: 'error',
  MISSING_VALUE: 'error',
  INVALID_DATE: 'error',
  INVALID_AMOUNT: 'error',
  INVALID_DIRECTION: 'error',
  UNBALANCED_ENTRY: 'error',
  UNBALANCED_FILE: 'error',
  NO_ENTRIES: 'error',
  LIMIT_EXCEEDED: 'error',
  EMPTY_FIELD: 'warning',
  DEBIT_AND_CREDIT: 'warning',
  ACCOUNT_FORMAT: 'warning',
  DATE_OUTSIDE_FISCAL_YEAR: 'warning',
  INVALID_OPTIONAL_FIELD: 'warning',
  EXTRA_COLUMN: 'warning',
  AUX_ACCOUNT_WITHOUT_LABEL: 'warning',
  LETTERING_WITHOUT_DATE: 'warning',
  OPENING_JOURNAL_WITH_PL_ACCOUNTS: 'warning',
  BLANK_LINES: 'warning',
};

const CODE_ORDER = Object.keys(ISSUE_SEVERITY) as IssueCode[];

export type IssueDetails = Readonly<Record<string, string | number>>;

/** An issue as recorded while reading: the value is still raw bytes, decoded at the end. */
export interface RecordedIssue {
  code: IssueCode;
  line: number | null;
  column: string | null;
  rawValue: Buffer | null;
  details: IssueDetails;
}

/** Longest value kept in an issue: enough to recognise it, not a copy of a hostile field. */
const MAX_VALUE_BYTES = 80;

export class IssueCollector {
  private readonly groups = new Map<IssueCode, { count: number; samples: RecordedIssue[] }>();

  constructor(private readonly maxPerCode: number) {}

  add(
    code: IssueCode,
    line: number | null,
    column: string | null = null,
    value: { bytes: Buffer; start: number; end: number } | string | null = null,
    details: IssueDetails = {},
  ): void {
    let group = this.groups.get(code);
    if (group === undefined) {
      group = { count: 0, samples: [] };
      this.groups.set(code, group);
    }
    group.count++;
    if (group.samples.length >= this.maxPerCode) return;
    let rawValue: Buffer | null = null;
    if (typeof value === 'string') rawValue = Buffer.from(value.slice(0, MAX_VALUE_BYTES), 'utf8');
    else if (value !== null) {
      rawValue = Buffer.from(
        value.bytes.subarray(value.start, Math.min(value.end, value.start + MAX_VALUE_BYTES)),
      );
    }
    group.samples.push({ code, line, column, rawValue, details });
  }

  /** Counts issues that are not kept (beyond the samples already recorded). */
  addCount(code: IssueCode, count: number): void {
    if (count <= 0) return;
    const group = this.groups.get(code);
    if (group === undefined) this.groups.set(code, { count, samples: [] });
    else group.count += count;
  }

  count(severity: IssueSeverity): number {
    let total = 0;
    for (const [code, group] of this.groups) if (ISSUE_SEVERITY[code] === severity) total += group.count;
    return total;
  }

  has(code: IssueCode): boolean {
    return this.groups.has(code);
  }

  /** Groups in report order, values decoded and messages written by the given functions. */
  toGroups(
    decode: (raw: Buffer) => string,
    describe: (issue: Omit<FecIssue, 'message'>, details: IssueDetails) => string,
  ): FecIssueGroup[] {
    return CODE_ORDER.filter((code) => this.groups.has(code)).map((code) => {
      const group = this.groups.get(code) as { count: number; samples: RecordedIssue[] };
      const severity = ISSUE_SEVERITY[code];
      const issues = group.samples.map((sample): FecIssue => {
        const issue = {
          code,
          severity,
          line: sample.line,
          column: sample.column,
          value: sample.rawValue === null ? null : decode(sample.rawValue),
        };
        return { ...issue, message: describe(issue, sample.details) };
      });
      return { code, severity, count: group.count, issues };
    });
  }
}

export interface UnbalancedEntry {
  journal: string;
  entryNumber: string;
  firstLine: number;
  /** Debit minus credit. */
  differenceCents: Cents;
}

/**
 * Checks that each entry (JournalCode + EcritureNum) balances, in memory bounded by the entries
 * that are open at a time rather than by all the entries of the file.
 *
 * Lines of an entry are usually consecutive. A run of consecutive lines of one entry that
 * balances on its own adds zero to that entry's total, so it can be forgotten; only runs left
 * unbalanced are kept, keyed by entry, and netted with the entry's later runs. What remains
 * non-zero at the end is exactly the set of unbalanced entries, whatever the line order.
 *
 * A file sorted by account keeps every entry open until its last line: each open entry costs a
 * map key and a slot in two typed arrays (~100 bytes), and `maxOpenEntries` bounds their number.
 */
export class EntryBalanceTracker {
  private currentJournal = '';
  private currentNumber = '';
  private currentFirstLine = 0;
  private currentBalance = 0;
  private hasCurrent = false;
  /** Open entry key -> slot in the arrays below. */
  private readonly slots = new Map<string, number>();
  private balances = new Float64Array(1024);
  private firstLines = new Int32Array(1024);
  private readonly freeSlots: number[] = [];
  private overflowed = false;

  constructor(private readonly maxOpenEntries: number) {}

  /** False once more entries than `maxOpenEntries` were left open (the check is then incomplete). */
  get complete(): boolean {
    return !this.overflowed;
  }

  add(journal: string, entryNumber: string, line: number, signedCents: Cents): void {
    if (!this.hasCurrent || journal !== this.currentJournal || entryNumber !== this.currentNumber) {
      this.closeRun();
      this.currentJournal = journal;
      this.currentNumber = entryNumber;
      this.currentFirstLine = line;
      this.currentBalance = 0;
      this.hasCurrent = true;
    }
    this.currentBalance += signedCents;
  }

  /** The number of unbalanced entries and the first `limit` of them, in order of first line. */
  finish(limit: number): { count: number; first: UnbalancedEntry[] } {
    this.closeRun();
    this.hasCurrent = false;
    const open = Int32Array.from(this.slots.values());
    const firstLines = this.firstLines;
    open.sort((a, b) => (firstLines[a] as number) - (firstLines[b] as number));
    const shown = new Set(open.subarray(0, limit));
    const first: UnbalancedEntry[] = [];
    for (const [key, slot] of this.slots) {
      if (!shown.has(slot)) continue;
      const [journal = '', entryNumber = ''] = key.split('\u0000');
      first.push({
        journal,
        entryNumber,
        firstLine: firstLines[slot] as number,
        differenceCents: this.balances[slot] as number,
      });
    }
    first.sort((a, b) => a.firstLine - b.firstLine);
    return { count: open.length, first };
  }

  private closeRun(): void {
    if (!this.hasCurrent || this.currentBalance === 0) return;
    const key = `${this.currentJournal}\u0000${this.currentNumber}`;
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      const balance = (this.balances[slot] as number) + this.currentBalance;
      this.balances[slot] = balance;
      if (balance === 0) {
        this.slots.delete(key);
        this.freeSlots.push(slot);
      }
      return;
    }
    if (this.slots.size >= this.maxOpenEntries) {
      this.overflowed = true;
      return;
    }
    const newSlot = this.freeSlots.pop() ?? this.slots.size;
    if (newSlot >= this.balances.length) this.grow();
    this.balances[newSlot] = this.currentBalance;
    this.firstLines[newSlot] = this.currentFirstLine;
    this.slots.set(key, newSlot);
  }

  private grow(): void {
    const balances = new Float64Array(this.balances.length * 2);
    balances.set(this.balances);
    this.balances = balances;
    const firstLines = new Int32Array(this.firstLines.length * 2);
    firstLines.set(this.firstLines);
    this.firstLines = firstLines;
  }
}
