import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeIndicators, fiscalYearFromFileName, readFec } from '../src/index.ts';
import { realFec, realFecFiles } from './support/paths.ts';

const euros = (cents: number) => Math.round(cents / 100);

describe('real FEC files of the shared folder', () => {
  it('finds the FEC files to test', () => {
    expect(realFecFiles()).toEqual([
      '0000000001FEC20220831.txt',
      '000000000FEC20231231.txt',
      'sample_pipe_montant_sens.txt',
      'sample_tab.txt',
    ]);
  });

  it.each(realFecFiles())('%s imports, accepted, with debit = credit', async (name) => {
    const { report, aggregates } = await readFec(createReadStream(realFec(name)));
    expect(report.status).toBe('accepted');
    expect(report.errorCount).toBe(0);
    expect(report.lineCount).toBeGreaterThan(0);
    expect(report.totals.debitCents).toBe(report.totals.creditCents);
    expect(report.totals.balanced).toBe(true);
    // The aggregates hold every line: their totals are the file's.
    const debit = aggregates.reduce((sum, row) => sum + row.debitCents, 0);
    const credit = aggregates.reduce((sum, row) => sum + row.creditCents, 0);
    expect(debit).toBe(report.totals.debitCents);
    expect(credit).toBe(report.totals.creditCents);
  });

  it('matches the tax return figures of 000000000FEC20231231.txt to the euro', async () => {
    const name = '000000000FEC20231231.txt';
    const fiscalYear = fiscalYearFromFileName(name);
    expect(fiscalYear).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    const { report, aggregates } = await readFec(createReadStream(realFec(name)), {
      fiscalYearStart: fiscalYear?.start,
      fiscalYearEnd: fiscalYear?.end,
    });
    const figures = computeIndicators(aggregates, {
      fiscalYearStart: '2023-01-01',
      fiscalYearEnd: '2023-12-31',
    });

    expect(euros(figures.revenue)).toBe(165_298); // liasse 2033, line 214
    expect(euros(figures.netIncome)).toBe(3_988); // line 310
    expect(euros(figures.cash)).toBe(91_971); // line 084
    expect(euros(figures.receivables)).toBe(27_772); // line 068
    // To the cent, from the ledger itself.
    expect(figures.revenue).toBe(16_529_793);
    expect(figures.netIncome).toBe(398_838);

    // The 22-column cash-basis variant, lower-case journal codes, opening journal AD.
    expect(report.meta).toMatchObject({
      encoding: 'utf-8',
      separator: '\t',
      variant: 'cash-basis',
      hasBom: false,
    });
    expect(report.meta.columns).toHaveLength(22);
    const opening = report.journals.filter((journal) => journal.opening);
    expect(opening.map((journal) => [journal.code, journal.openingReason])).toEqual([['AD', 'code']]);
    expect(report.journals.map((journal) => journal.code)).toEqual(['AD', 'ac', 'bq', 'ca', 'od', 've']);
    // Opening lines dated before the year are not flagged as out of the year; the others are in it.
    expect(report.issues.find((group) => group.code === 'DATE_OUTSIDE_FISCAL_YEAR')).toBeUndefined();
    expect(report.flowPeriod).toEqual({ first: '2023-01-03', last: '2023-06-30' });

    // Monthly series: twelve months; revenue adds up; cash at the end of June is the closing cash.
    expect(figures.byMonth.map((month) => month.month)).toEqual([
      '2023-01',
      '2023-02',
      '2023-03',
      '2023-04',
      '2023-05',
      '2023-06',
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
    ]);
    expect(figures.byMonth.reduce((sum, month) => sum + month.revenue, 0)).toBe(figures.revenue);
    expect(figures.byMonth.reduce((sum, month) => sum + month.netIncome, 0)).toBe(figures.netIncome);
    expect(figures.byMonth[5]?.cash).toBe(figures.cash);
    expect(figures.byMonth[11]?.netCash).toBe(figures.netCash);
  });

  it('reads the 2021-2022 ledger with BOM and its ANO opening journal', async () => {
    const { report, aggregates } = await readFec(createReadStream(realFec('0000000001FEC20220831.txt')));
    expect(report.meta).toMatchObject({
      encoding: 'utf-8',
      hasBom: true,
      separator: '\t',
      variant: 'standard',
    });
    expect(report.lineCount).toBe(5_422);
    expect(report.period).toEqual({ first: '2021-09-01', last: '2022-08-31' });
    const ano = report.journals.find((journal) => journal.code === 'ANO');
    expect(ano).toMatchObject({ opening: true, openingReason: 'code', lineCount: 77, label: 'A nouveaux' });
    // Opening rows are flagged, and only they are.
    const openingRows = aggregates.filter((row) => row.opening);
    expect(openingRows.length).toBeGreaterThan(0);
    expect(openingRows.reduce((sum, row) => sum + row.debitCents, 0)).toBe(ano?.debitCents);
  });

  it('reads the Montant + Sens sample with its pipe separator', async () => {
    const { report, aggregates } = await readFec(createReadStream(realFec('sample_pipe_montant_sens.txt')));
    expect(report.meta).toMatchObject({ separator: '|', amountLayout: 'amount-direction' });
    expect(report.totals).toEqual({ debitCents: 330_000, creditCents: 330_000, balanced: true });
    const figures = computeIndicators(aggregates);
    expect(figures.revenue).toBe(250_000);
    expect(figures.receivables).toBe(250_000);
    expect(figures.payables).toBe(80_000);
    expect(figures.netIncome).toBe(250_000 - 80_000);
  });
});
