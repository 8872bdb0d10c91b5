/**
 * The validation report: what is blocking, what is a warning, with which line numbers.
 */
import { describe, expect, it } from 'vitest';
import { formatReportFr, readFec } from '../src/index.ts';
import type { FecReport, IssueCode, ReadFecOptions } from '../src/types.ts';
import {
  CLEAN_FORMAT,
  chunked,
  columnsOf,
  type FecLine,
  fecText,
  simpleLines,
} from './support/fec-builder.ts';

const HEADER = columnsOf(CLEAN_FORMAT).join('\t');

async function read(text: string, options: ReadFecOptions = {}) {
  return readFec(chunked(Buffer.from(text, 'utf8'), [13]), options);
}

const group = (report: FecReport, code: IssueCode) => report.issues.find((issue) => issue.code === code);
const codes = (report: FecReport) => report.issues.map((issue) => issue.code);

/** A data line from its 18 fields in official order, with defaults for the ones a test does not care about. */
function line(
  fields: Partial<
    Record<
      'journal' | 'num' | 'date' | 'account' | 'debit' | 'credit' | 'let' | 'dateLet' | 'aux' | 'auxLabel',
      string
    >
  >,
) {
  const date = fields.date ?? '20230115';
  return [
    fields.journal ?? 'VE',
    'Ventes',
    fields.num ?? '1',
    date,
    fields.account ?? '41100000',
    'Clients',
    fields.aux ?? '',
    fields.auxLabel ?? '',
    'P1',
    date,
    'Facture',
    fields.debit ?? '0,00',
    fields.credit ?? '0,00',
    fields.let ?? '',
    fields.dateLet ?? '',
    date,
    '',
    '',
  ].join('\t');
}

describe('blocking errors', () => {
  it('finds unbalanced entries per journal and number, with their first line, and the file imbalance', async () => {
    const text = [
      HEADER,
      line({ num: '1', debit: '100,00' }),
      line({ num: '1', account: '70600000', credit: '100,00' }),
      line({ num: '2', debit: '50,00' }), // line 4: entry VE 2 is short of 10 euros
      line({ num: '2', account: '70600000', credit: '40,00' }),
      line({ journal: 'AC', num: '2', account: '60600000', debit: '10,00' }),
      line({ journal: 'AC', num: '2', account: '40100000', credit: '10,00' }),
    ].join('\n');
    const { report } = await read(text);
    expect(report.status).toBe('refused');
    const unbalanced = group(report, 'UNBALANCED_ENTRY');
    expect(unbalanced?.count).toBe(1);
    expect(unbalanced?.issues[0]).toMatchObject({ line: 4 });
    expect(unbalanced?.issues[0]?.message).toBe(
      "L'écriture 2 du journal VE n'est pas équilibrée (débit − crédit = 10,00 €).",
    );
    expect(group(report, 'UNBALANCED_FILE')?.issues[0]?.message).toBe(
      'Le total des débits (160,00 €) diffère du total des crédits (150,00 €).',
    );
    expect(report.totals.balanced).toBe(false);
  });

  it('balances entries whose lines are not consecutive (file sorted by account)', async () => {
    const text = [
      HEADER,
      line({ num: '1', debit: '100,00' }),
      line({ num: '2', debit: '30,00' }),
      line({ num: '1', account: '70600000', credit: '100,00' }),
      line({ num: '2', account: '70600000', credit: '30,00' }),
    ].join('\n');
    const { report } = await read(text);
    expect(report.status).toBe('accepted');
  });

  it('names missing mandatory columns', async () => {
    const header = columnsOf(CLEAN_FORMAT)
      .filter((name) => name !== 'CompteNum')
      .join('\t');
    const { report } = await read(`${header}\n`);
    expect(report.status).toBe('refused');
    expect(group(report, 'MISSING_COLUMN')?.issues[0]?.message).toBe(
      "La colonne obligatoire CompteNum est absente de l'en-tête.",
    );
  });

  it('reports a first line that is not a header', async () => {
    const { report } = await read(`${line({})}\n${line({})}\n`);
    expect(codes(report)).toEqual(['HEADER_NOT_RECOGNIZED']);
    expect(report.issues[0]?.issues[0]?.message).toMatch(/^La première ligne doit nommer les colonnes/);
  });

  it('reports bad amounts, a missing account, a bad Sens, with line numbers', async () => {
    const text = [
      HEADER,
      line({ debit: '12,3x' }),
      line({ account: '', debit: '1,00' }),
      line({ account: '70600000', credit: '1,00' }),
    ].join('\n');
    const { report } = await read(text);
    expect(group(report, 'INVALID_AMOUNT')?.issues[0]).toMatchObject({
      line: 2,
      column: 'Debit',
      value: '12,3x',
    });
    expect(group(report, 'MISSING_VALUE')?.issues[0]).toMatchObject({ line: 3, column: 'CompteNum' });

    const montantSens = fecText(simpleLines(), { ...CLEAN_FORMAT, amountLayout: 'amount-direction' }).replace(
      /\tC\t/,
      '\tX\t',
    );
    const direction = await read(montantSens);
    expect(group(direction.report, 'INVALID_DIRECTION')?.issues[0]).toMatchObject({ line: 3, value: 'X' });
  });

  it('reports lines whose field count is wrong, for example a separator inside a label', async () => {
    const text = [
      HEADER,
      line({ debit: '1,00' }),
      line({ account: '70600000', credit: '1,00' }).replace('Facture', 'Facture\tbis'),
    ].join('\n');
    const { report } = await read(text);
    expect(group(report, 'FIELD_COUNT')?.issues[0]).toMatchObject({ line: 3 });
    expect(group(report, 'FIELD_COUNT')?.issues[0]?.message).toBe(
      '19 champs au lieu de 18 (séparateur présent dans un libellé ?) ; la ligne est ignorée.',
    );
  });

  it('keeps the first 100 issues of a kind and the exact count', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => line({ num: String(i), date: '20230231' }));
    const { report } = await read([HEADER, ...lines].join('\n'), { maxIssuesPerCode: 100 });
    const invalid = group(report, 'INVALID_DATE');
    expect(invalid?.count).toBe(250 * 3); // EcritureDate, PieceDate and ValidDate on each line
    expect(invalid?.issues).toHaveLength(100);
    expect(formatReportFr(report)).toContain('… et 740 autre(s) du même type');
  });
});

describe('warnings', () => {
  it('reports debit and credit on one line, odd account numbers, empty mandatory fields', async () => {
    const text = [
      HEADER,
      line({ account: '41100000', debit: '10,00', credit: '10,00' }),
      line({ account: 'CLIENTS', debit: '5,00' }),
      line({ account: '70600000', credit: '5,00' }).replace('Facture', ''),
    ].join('\n');
    const { report } = await read(text);
    expect(report.status).toBe('accepted');
    expect(group(report, 'DEBIT_AND_CREDIT')?.issues[0]).toMatchObject({ line: 2 });
    expect(group(report, 'ACCOUNT_FORMAT')?.issues[0]).toMatchObject({ line: 3, value: 'CLIENTS' });
    expect(group(report, 'EMPTY_FIELD')?.issues[0]).toMatchObject({ line: 4, column: 'EcritureLib' });
  });

  it('reports lettering without date and auxiliary accounts without label', async () => {
    const text = [
      HEADER,
      line({ debit: '1,00', let: 'AA', aux: 'C001' }),
      line({ account: '70600000', credit: '1,00', let: 'AB', dateLet: '20230120' }),
    ].join('\n');
    const { report } = await read(text);
    expect(report.status).toBe('accepted');
    expect(group(report, 'LETTERING_WITHOUT_DATE')?.count).toBe(1);
    expect(group(report, 'AUX_ACCOUNT_WITHOUT_LABEL')?.issues[0]).toMatchObject({ line: 2, value: 'C001' });
  });

  it('reports lines dated outside the fiscal year, journal by journal, opening journals excepted', async () => {
    const opening = {
      journal: 'ANO',
      journalLabel: 'A nouveaux',
      entryNumber: '1',
      date: '20221231',
      label: 'AN',
    };
    const lines: FecLine[] = [
      { ...opening, account: '51200000', accountLabel: 'Banque', debitCents: 100, creditCents: 0 },
      { ...opening, account: '10100000', accountLabel: 'Capital', debitCents: 0, creditCents: 100 },
      ...simpleLines().map((fecLine) => ({ ...fecLine, date: '20240105' })),
    ];
    const { report } = await read(fecText(lines, CLEAN_FORMAT), {
      fiscalYearStart: '2023-01-01',
      fiscalYearEnd: '2023-12-31',
    });
    expect(report.status).toBe('accepted');
    const outside = group(report, 'DATE_OUTSIDE_FISCAL_YEAR');
    expect(outside?.count).toBe(1);
    expect(outside?.issues[0]).toMatchObject({ line: 4 });
    expect(outside?.issues[0]?.message).toBe(
      "3 ligne(s) du journal VE sont datées hors de l'exercice (2023-01-01 – 2023-12-31).",
    );
  });

  it('warns about an opening code on a journal with income or expense', async () => {
    const lines = simpleLines().map((fecLine) => ({
      ...fecLine,
      journal: 'AD',
      journalLabel: 'Achats divers',
    }));
    const { report } = await read(fecText(lines, CLEAN_FORMAT));
    expect(report.journals[0]).toMatchObject({ code: 'AD', opening: false });
    expect(group(report, 'OPENING_JOURNAL_WITH_PL_ACCOUNTS')?.issues[0]?.message).toMatch(
      /^Le journal AD porte un code/,
    );
  });

  it('skips blank lines, keeps line numbers right, and reports them once', async () => {
    const text = [
      HEADER,
      '',
      line({ debit: '1,00' }),
      '\t\t\t',
      line({ account: '70600000', credit: '1,00', date: '2023013x' }),
    ].join('\r\n');
    const { report } = await read(text);
    expect(group(report, 'BLANK_LINES')?.issues[0]).toMatchObject({ line: 2 });
    expect(group(report, 'BLANK_LINES')?.issues[0]?.message).toBe('2 ligne(s) vide(s) ignorée(s).');
    expect(group(report, 'INVALID_DATE')?.issues[0]).toMatchObject({ line: 5 });
  });
});

describe('formats', () => {
  it('reads quoted fields with semicolons inside labels', async () => {
    const header = columnsOf(CLEAN_FORMAT)
      .map((name) => `"${name}"`)
      .join(';');
    const quoted = (fields: string) =>
      fields
        .split('\t')
        .map((field) => `"${field}"`)
        .join(';');
    const text = [
      header,
      quoted(line({ debit: '1,00' })).replace('"Clients"', '"Clients; export ""A"""'),
      quoted(line({ account: '70600000', credit: '1,00' })),
    ].join('\n');
    const { report, accounts } = await read(text);
    expect(report.status).toBe('accepted');
    expect(report.meta.separator).toBe(';');
    expect(accounts.find((account) => account.account === '41100000')?.label).toBe('Clients; export "A"');
  });

  it('reads a Windows-1252 file with CR line ends and gives labels back in Unicode', async () => {
    const lines = simpleLines().map((fecLine) => ({ ...fecLine, journalLabel: 'Ventes à l’export' }));
    const { encodeText } = await import('./support/fec-builder.ts');
    const bytes = encodeText(fecText(lines, { ...CLEAN_FORMAT, lineEnd: '\r' }), 'windows-1252');
    const { report } = await readFec(chunked(bytes, [5]));
    expect(report.meta).toMatchObject({ encoding: 'windows-1252', lineEnding: 'CR' });
    expect(report.journals[0]?.label).toBe('Ventes à l’export');
  });
});
