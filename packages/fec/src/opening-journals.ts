/**
 * Which journals hold the opening balances (à-nouveaux)? Their lines are last year's closing
 * balances, not this year's activity: they count in balance-sheet figures (cash, receivables) and
 * must stay out of flows (revenue, monthly series).
 *
 * Rules, first match wins, and none applies to a journal touching classes 6 or 7 (an opening
 * balance has no income or expense; "AD" is also read "achats divers" in some ledgers):
 * 1. `code`: the code is a usual opening code (AN, ANO, RAN, AD, OUV) or one given by the caller;
 * 2. `label`: the label says so ("A nouveaux", "Report à nouveau", "Ouverture"…);
 * 3. `shape`: the journal carries a balance sheet — at least two lines, equity (class 1) among
 *    its accounts — and every line is dated on one day that opens the year: on or before the
 *    fiscal year's first day when known, otherwise a first day of a month no later than any other
 *    journal's first line; and other journals exist. Equity is required because a bank transfer
 *    or a customer payment booked on the first day touches classes 4 and 5 only, while an opening
 *    balance sheet always carries capital or the owner's account.
 */
import type { OpeningReason } from './types.ts';

const OPENING_CODES = new Set(['AN', 'ANO', 'RAN', 'AD', 'OUV']);
const OPENING_LABEL = /\ba\s*-?\s*nouveaux?\b|\breports?\s+a\s+nouveau|\bouverture\b|\bbilan\s+d\s*ouverture/;

export interface JournalFacts {
  code: string;
  label: string;
  lineCount: number;
  /** YYYYMMDD of the earliest and latest valid EcritureDate, 0 when none. */
  firstDate: number;
  lastDate: number;
  touchesProfitAndLoss: boolean;
  /** Whether a class 1 account (equity, long-term debt) appears. */
  touchesEquity: boolean;
}

export interface OpeningClassification {
  reason: OpeningReason | null;
  /** The code or label says opening, but classes 6/7 are present: treated as an ordinary journal. */
  rejectedForProfitAndLoss: boolean;
}

export function classifyOpeningJournals(
  journals: readonly JournalFacts[],
  context: { fiscalYearStart: number | null; openingCodes?: readonly string[] },
): Map<string, OpeningClassification> {
  const forced = new Set((context.openingCodes ?? []).map(normalizeCode));
  const result = new Map<string, OpeningClassification>();
  for (const journal of journals) {
    const named = forced.has(normalizeCode(journal.code)) || OPENING_CODES.has(normalizeCode(journal.code));
    const labelled = OPENING_LABEL.test(normalizeLabel(journal.label));
    if (journal.touchesProfitAndLoss) {
      result.set(journal.code, { reason: null, rejectedForProfitAndLoss: named || labelled });
      continue;
    }
    let reason: OpeningReason | null = null;
    if (named) reason = 'code';
    else if (labelled) reason = 'label';
    else if (hasOpeningShape(journal, journals, context.fiscalYearStart)) reason = 'shape';
    result.set(journal.code, { reason, rejectedForProfitAndLoss: false });
  }
  return result;
}

function hasOpeningShape(
  journal: JournalFacts,
  journals: readonly JournalFacts[],
  fiscalYearStart: number | null,
): boolean {
  if (journal.lineCount < 2 || journal.firstDate === 0 || !journal.touchesEquity) return false;
  const others = journals.filter((other) => other !== journal && other.firstDate !== 0);
  if (others.length === 0) return false;
  if (fiscalYearStart !== null) return journal.lastDate <= fiscalYearStart;
  if (journal.firstDate !== journal.lastDate) return false;
  const isFirstOfMonth = journal.firstDate % 100 === 1;
  return isFirstOfMonth && others.every((other) => other.firstDate >= journal.firstDate);
}

function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function normalizeLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ');
}
