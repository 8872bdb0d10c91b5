/**
 * Property tests: random balanced ledgers written in every variant real exports show; the reader
 * must find the totals and aggregates known by construction, whatever the variant and however
 * the bytes are cut into chunks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFec } from '../src/index.ts';
import type { AccountMonthAggregate, FecEncoding } from '../src/types.ts';
import { chunked, type FecFormat, type FecLine, fecBytes } from './support/fec-builder.ts';

const ACCOUNTS: ReadonlyArray<[string, string]> = [
  ['41100000', 'Clients'],
  ['40100000', 'Fournisseurs'],
  ['51200000', 'Banque'],
  ['53000000', 'Caisse'],
  ['60610000', 'Électricité'],
  ['62260000', 'Honoraires'],
  ['70600000', 'Prestations de services'],
  ['44571000', 'TVA collectée'],
  ['44566000', 'TVA déductible'],
  ['64110000', 'Salaires'],
  ['10130000', 'Capital souscrit appelé versé'],
];

/** Labels every candidate encoding can write; the euro sign and œ only where they exist. */
const LABELS = [
  'Facture',
  'Règlement reçu',
  'Dépôt à la banque',
  'Loyer de février',
  'Hôtel à Nîmes',
  'Frais n° 12',
];
const LABELS_WITH_EURO = ['Remise de 5 €', 'Cœur de métier'];

const JOURNALS: ReadonlyArray<[string, string]> = [
  ['VE', 'Ventes'],
  ['ac', 'Achats'],
  ['BQ', 'Banque'],
  ['OD', 'Opérations diverses'],
];

const nonZeroCents = fc.oneof(
  fc.integer({ min: 1, max: 100_000_000 }),
  fc.integer({ min: -5_000_000, max: -1 }), // reversals written as negative amounts
);

// From the 2nd: the opening-journal heuristics have their own tests; here entries are ordinary.
const day = fc
  .record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 2, max: 28 }) })
  .map(({ month, day }) => `2023${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`);

/** A balanced entry: debit lines, then credit lines that split the same total. */
const entry = fc.record({
  journal: fc.constantFrom(...JOURNALS),
  date: day,
  debits: fc.array(fc.tuple(fc.constantFrom(...ACCOUNTS), nonZeroCents), { minLength: 1, maxLength: 3 }),
  creditAccounts: fc.array(fc.constantFrom(...ACCOUNTS), { minLength: 1, maxLength: 2 }),
  labelIndex: fc.nat(),
});

const format = fc
  .record({
    separator: fc.constantFrom<FecFormat['separator']>('\t', '|', ';', ','),
    encoding: fc.constantFrom<FecEncoding>('utf-8', 'windows-1252', 'iso-8859-15', 'cp850'),
    bom: fc.boolean(),
    lineEnd: fc.constantFrom<FecFormat['lineEnd']>('\n', '\r\n', '\r', '\r\r\n'),
    amountLayout: fc.constantFrom<FecFormat['amountLayout']>('debit-credit', 'amount-direction'),
    directionStyle: fc.constantFrom<FecFormat['directionStyle']>('DC', 'plus-minus', 'one'),
    signPlacement: fc.constantFrom<FecFormat['signPlacement']>('before', 'after'),
    decimalSeparator: fc.constantFrom<FecFormat['decimalSeparator']>(',', '.'),
    zeroPadAmounts: fc.boolean(),
    padFields: fc.boolean(),
    emptyZero: fc.boolean(),
    headerCase: fc.constantFrom<FecFormat['headerCase']>('canonical', 'lower', 'upper', 'mixed'),
    trailingSeparator: fc.boolean(),
    cashBasis: fc.boolean(),
    extraColumn: fc.boolean(),
    finalLineEnd: fc.boolean(),
  })
  .map(
    (variant): FecFormat => ({
      ...variant,
      // A BOM only exists in UTF-8; a comma-separated file writes decimals with a dot.
      bom: variant.encoding === 'utf-8' && variant.bom,
      decimalSeparator: variant.separator === ',' ? '.' : variant.decimalSeparator,
    }),
  );

interface Ledger {
  lines: FecLine[];
  /** Opening lines, dated on the first day, journal AN. */
  openingLines: FecLine[];
}

type GeneratedEntry = typeof entry extends fc.Arbitrary<infer T> ? T : never;

function buildLedger(entries: GeneratedEntry[], labels: string[]): Ledger {
  const ledger: Ledger = { lines: [], openingLines: [] };
  const opening = {
    journal: 'AN',
    journalLabel: 'Report à nouveau',
    entryNumber: '1',
    date: '20230101',
    label: 'A nouveau',
  };
  ledger.openingLines.push(
    { ...opening, account: '51200000', accountLabel: 'Banque', debitCents: 1_000_000, creditCents: 0 },
    { ...opening, account: '10130000', accountLabel: 'Capital', debitCents: 0, creditCents: 1_000_000 },
  );
  entries.forEach((generated, index) => {
    const [journal, journalLabel] = generated.journal;
    const label = labels[generated.labelIndex % labels.length] as string;
    const base = { journal, journalLabel, entryNumber: String(index + 2), date: generated.date, label };
    let total = 0;
    for (const [[account, accountLabel], cents] of generated.debits) {
      ledger.lines.push({ ...base, account, accountLabel, debitCents: cents, creditCents: 0 });
      total += cents;
    }
    // Split the total over the credit lines; a zero share would be a line with no amount.
    const shares =
      generated.creditAccounts.length === 2 && Math.abs(total) >= 2 ? [Math.trunc(total / 2)] : [];
    shares.push(total - shares.reduce((a, b) => a + b, 0));
    shares.forEach((cents, i) => {
      const [account, accountLabel] = generated.creditAccounts[i] as [string, string];
      ledger.lines.push({ ...base, account, accountLabel, debitCents: 0, creditCents: cents });
    });
  });
  return ledger;
}

function expectedAggregates(ledger: Ledger): AccountMonthAggregate[] {
  const rows = new Map<string, AccountMonthAggregate>();
  const add = (line: FecLine, opening: boolean) => {
    const month = `${line.date.slice(0, 4)}-${line.date.slice(4, 6)}`;
    const key = `${line.account}|${month}|${opening}`;
    const row = rows.get(key) ?? { account: line.account, month, opening, debitCents: 0, creditCents: 0 };
    row.debitCents += line.debitCents;
    row.creditCents += line.creditCents;
    rows.set(key, row);
  };
  for (const line of ledger.openingLines) add(line, true);
  for (const line of ledger.lines) add(line, false);
  return [...rows.values()].sort((a, b) =>
    a.account !== b.account
      ? a.account.localeCompare(b.account)
      : a.month !== b.month
        ? a.month.localeCompare(b.month)
        : Number(a.opening) - Number(b.opening),
  );
}

const SAME_DECODING: Record<FecEncoding, FecEncoding[]> = {
  'utf-8': ['utf-8'],
  cp850: ['cp850'],
  // Both decode accented letters alike; only €, œ or typographic quotes tell them apart.
  'windows-1252': ['windows-1252', 'iso-8859-15'],
  'iso-8859-15': ['iso-8859-15', 'windows-1252'],
};

describe('readFec on generated ledgers (property)', () => {
  it('finds the totals and aggregates known by construction, in every variant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 25 }),
        format,
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        async (entries, variant, chunkSizes) => {
          const withEuro = variant.encoding === 'windows-1252' || variant.encoding === 'iso-8859-15';
          const ledger = buildLedger(entries, withEuro ? [...LABELS, ...LABELS_WITH_EURO] : LABELS);
          const allLines = [...ledger.openingLines, ...ledger.lines];
          const bytes = fecBytes(allLines, variant);

          const { report, aggregates, accounts } = await readFec(chunked(bytes, chunkSizes));

          expect(report.issues.filter((group) => group.severity === 'error')).toEqual([]);
          expect(report.status).toBe('accepted');
          expect(report.lineCount).toBe(allLines.length);
          const debit = allLines.reduce((sum, line) => sum + line.debitCents, 0);
          const credit = allLines.reduce((sum, line) => sum + line.creditCents, 0);
          expect(report.totals).toEqual({ debitCents: debit, creditCents: credit, balanced: true });
          expect(aggregates).toEqual(expectedAggregates(ledger));

          expect(report.meta.separator).toBe(variant.separator);
          expect(report.meta.hasBom).toBe(variant.bom);
          expect(report.meta.amountLayout).toBe(variant.amountLayout);
          expect(report.meta.variant).toBe(variant.cashBasis ? 'cash-basis' : 'standard');
          expect(report.meta.extraColumns.map((name) => name.toLowerCase())).toEqual(
            variant.extraColumn ? ['codeetablissement'] : [],
          );
          const hasNonAscii = allLines.some((line) =>
            /[^\x20-\x7e]/.test(line.accountLabel + line.journalLabel),
          );
          if (hasNonAscii) expect(SAME_DECODING[variant.encoding]).toContain(report.meta.encoding);
          // Labels come back decoded exactly, accents included.
          for (const { account, label } of accounts) {
            expect(allLines.find((line) => line.account === account)?.accountLabel).toBe(label);
          }
          const an = report.journals.find((journal) => journal.code === 'AN');
          expect(an).toMatchObject({ opening: true, label: 'Report à nouveau' });
        },
      ),
      { numRuns: 300 },
    );
  });
});
