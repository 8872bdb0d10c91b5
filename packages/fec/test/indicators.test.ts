import { describe, expect, it } from 'vitest';
import { computeIndicators, fiscalYearFromFileName, toEuroFigures } from '../src/index.ts';
import type { AccountMonthAggregate } from '../src/types.ts';

/** A row from euros, debit positive and credit negative, to keep the fixtures readable. */
const row = (account: string, month: string, euros: number, opening = false): AccountMonthAggregate => ({
  account,
  month,
  opening,
  debitCents: euros > 0 ? Math.round(euros * 100) : 0,
  creditCents: euros < 0 ? Math.round(-euros * 100) : 0,
});

describe('computeIndicators', () => {
  it('computes the intermediate management balances of a trading and service company', () => {
    const figures = computeIndicators([
      row('707000', '2023-01', -100_000), // sales of goods
      row('709700', '2023-01', 2_000), // discounts granted on goods
      row('706000', '2023-01', -50_000), // services
      row('709000', '2023-01', 1_000), // discounts on services
      row('713000', '2023-01', -3_000), // stored production
      row('721000', '2023-01', -4_000), // capitalised production
      row('607000', '2023-01', 60_000), // purchases of goods
      row('603700', '2023-01', -5_000), // change in stock of goods
      row('609700', '2023-01', -1_000), // discounts obtained on goods
      row('601000', '2023-01', 10_000), // raw materials
      row('613200', '2023-01', 8_000), // rent
      row('622600', '2023-01', 2_000), // fees
      row('740000', '2023-01', -1_500), // operating subsidy
      row('635100', '2023-01', 700), // taxes
      row('641000', '2023-01', 30_000), // wages
      row('645000', '2023-01', 12_000), // social charges
      row('758000', '2023-01', -100), // other income
      row('651000', '2023-01', 300), // licences
      row('681120', '2023-01', 4_000), // depreciation
      row('781500', '2023-01', -200), // reversal of provisions
      row('661100', '2023-01', 900), // interest (financial, below operating income)
      row('695000', '2023-01', 3_000), // income tax
    ]);
    const euros = toEuroFigures(figures);
    expect(euros.revenue).toBe(100_000 - 2_000 + 50_000 - 1_000);
    expect(euros.salesOfGoods).toBe(98_000);
    expect(euros.costOfGoodsSold).toBe(60_000 - 5_000 - 1_000);
    expect(euros.commercialMargin).toBe(98_000 - 54_000);
    expect(euros.production).toBe(49_000 + 3_000 + 4_000);
    expect(euros.externalConsumption).toBe(10_000 + 8_000 + 2_000);
    expect(euros.valueAdded).toBe(44_000 + 56_000 - 20_000);
    expect(euros.grossOperatingSurplus).toBe(80_000 + 1_500 - 700 - 42_000);
    expect(euros.operatingIncome).toBe(38_800 + 100 + 200 - 300 - 4_000);
    // Net income is classes 7 − 6 as a whole, and equals the SIG chain minus financial items and tax.
    expect(euros.netIncome).toBe(34_800 - 900 - 3_000);
  });

  it('excludes opening rows from flows and includes them in balances', () => {
    const figures = computeIndicators([
      row('512000', '2023-01', 10_000, true),
      row('101000', '2023-01', -10_000, true),
      row('706000', '2023-01', -999, true), // an opening row never counts as revenue
      row('706000', '2023-02', -1_200),
      row('512000', '2023-02', 1_200),
    ]);
    expect(figures.revenue).toBe(120_000);
    expect(figures.cash).toBe(1_120_000);
  });

  it('takes cash account by account: an overdrawn bank is a debt, not negative cash', () => {
    const figures = computeIndicators([
      row('512100', '2023-03', 5_000), // bank A in debit
      row('512200', '2023-03', -2_000), // bank B overdrawn
      row('519000', '2023-03', -1_000), // short-term bank loan
      row('530000', '2023-03', 300), // cash box
      row('503000', '2023-03', 700), // marketable securities
      row('580000', '2023-03', 50), // internal transfers: not cash
      row('101000', '2023-03', -3_050),
    ]);
    expect(toEuroFigures(figures).cash).toBe(5_000 + 300 + 700);
    expect(toEuroFigures(figures).netCash).toBe(6_000 - 2_000 - 1_000);
  });

  it('nets receivables and payables of advances, account by account', () => {
    const figures = computeIndicators([
      row('411000', '2023-03', 27_771.7),
      row('416000', '2023-03', 1_000), // doubtful customers
      row('418100', '2023-03', 500), // invoices to issue
      row('411900', '2023-03', -300), // a customer account in credit is not a receivable
      row('419100', '2023-03', -2_000), // advances received
      row('401000', '2023-03', -4_631),
      row('408100', '2023-03', -400),
      row('409100', '2023-03', 5.5), // advances paid to suppliers
      row('401900', '2023-03', 100), // a supplier account in debit is not a payable
    ]);
    const euros = toEuroFigures(figures);
    expect(euros.receivables).toBe(27_771.7 + 1_000 + 500 - 2_000);
    expect(euros.payables).toBe(4_631 + 400 - 5.5);
  });

  it('sums VAT collected and deductible from their movements', () => {
    const figures = computeIndicators([
      row('445710', '2023-01', -2_000),
      row('445710', '2023-02', 2_000), // monthly settlement: the balance is back to 0
      row('445660', '2023-01', 800),
      row('445620', '2023-01', 200),
      row('445510', '2023-02', -1_000),
    ]);
    expect(toEuroFigures(figures).vatCollected).toBe(2_000);
    expect(toEuroFigures(figures).vatDeductible).toBe(1_000);
  });

  it('builds a monthly series over the fiscal year, with cash at each month end', () => {
    const aggregates = [
      row('512000', '2022-12', 1_000, true), // opening dated before the year
      row('706000', '2023-01', -100),
      row('512000', '2023-01', 100),
      row('706000', '2023-03', -50),
      row('411000', '2023-03', 50),
      row('512000', '2023-04', -1_500), // the bank goes into overdraft in April
      row('606000', '2023-04', 1_500),
    ];
    const figures = computeIndicators(aggregates, {
      fiscalYearStart: '2023-01-01',
      fiscalYearEnd: '20230430',
    });
    expect(figures.period).toEqual({ firstMonth: '2023-01', lastMonth: '2023-04' });
    expect(toEuroFigures(figures).byMonth).toEqual([
      { month: '2023-01', revenue: 100, netIncome: 100, cash: 1_100, netCash: 1_100 },
      { month: '2023-02', revenue: 0, netIncome: 0, cash: 1_100, netCash: 1_100 },
      { month: '2023-03', revenue: 50, netIncome: 50, cash: 1_100, netCash: 1_100 },
      { month: '2023-04', revenue: 0, netIncome: -1_500, cash: 0, netCash: -400 },
    ]);
    // Without a fiscal year, the series spans the months with entries.
    expect(computeIndicators(aggregates).period).toEqual({ firstMonth: '2023-01', lastMonth: '2023-04' });
    expect(computeIndicators([]).byMonth).toEqual([]);
  });

  it('sums exactly in cents, where floating point euros would drift', () => {
    const rows = Array.from({ length: 1_000 }, () => row('706000', '2023-01', -0.1));
    expect(computeIndicators(rows).revenue).toBe(10_000);
    expect(toEuroFigures(computeIndicators(rows)).revenue).toBe(100);
  });
});

describe('fiscalYearFromFileName', () => {
  it('reads the closing date of a regulatory name and assumes twelve months', () => {
    expect(fiscalYearFromFileName('0000000001FEC20220831.txt')).toEqual({
      start: '2021-09-01',
      end: '2022-08-31',
    });
    expect(fiscalYearFromFileName('123456789FEC20240229.txt')).toEqual({
      start: '2023-03-01',
      end: '2024-02-29',
    });
    expect(fiscalYearFromFileName('export.txt')).toBeNull();
    expect(fiscalYearFromFileName('123FEC20231399.txt')).toBeNull();
  });
});
