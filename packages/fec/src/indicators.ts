/**
 * Key figures from the account-month aggregates. Formulas and sign conventions are written out in
 * docs/indicators.md; the code follows that document line by line.
 *
 * Two kinds of figures:
 * - flows (revenue, margins, income): the year's movements, opening journals excluded;
 * - balances (cash, receivables, payables): closing balance of each account, opening included,
 *   taken account by account — a bank account in credit is a debt, not negative cash.
 *
 * Every sum is made in integer cents.
 */
import { centsToEuros } from './money.ts';
import { parseOptionDate } from './parse.ts';
import type { AccountMonthAggregate, Cents, IsoMonth } from './types.ts';

export interface IndicatorOptions {
  /** First day of the fiscal year (`YYYY-MM-DD` or `YYYYMMDD`): first month of the monthly series. */
  fiscalYearStart?: string;
  /** Last day of the fiscal year: last month of the monthly series. */
  fiscalYearEnd?: string;
}

export interface MonthlyFigures {
  month: IsoMonth;
  /** Net revenue of the month (flows dated in the month). */
  revenue: Cents;
  /** Classes 7 − 6 of the month. */
  netIncome: Cents;
  /** Cash and net cash at the end of the month (balances, opening included). */
  cash: Cents;
  netCash: Cents;
}

/** All amounts in integer cents (see `toEuroFigures` for output in euros). */
export interface Indicators {
  /** First and last month of the monthly series; null when there is no entry. */
  period: { firstMonth: IsoMonth; lastMonth: IsoMonth } | null;
  /** Chiffre d'affaires net: class 70, reductions granted (709) deducted. */
  revenue: Cents;
  /** Ventes de marchandises: 707 net of 7097. */
  salesOfGoods: Cents;
  /** Coût d'achat des marchandises vendues: 607 + 6087 + 6097 + 6037. */
  costOfGoodsSold: Cents;
  /** Marge commerciale. */
  commercialMargin: Cents;
  /** Production de l'exercice: sold (70 except goods), stored (71), capitalised (72). */
  production: Cents;
  /** Consommations en provenance de tiers: 60 (except goods), 61, 62. */
  externalConsumption: Cents;
  /** Valeur ajoutée. */
  valueAdded: Cents;
  /** Subventions d'exploitation (74). */
  operatingSubsidies: Cents;
  /** Impôts, taxes et versements assimilés (63). */
  taxes: Cents;
  /** Charges de personnel (64). */
  personnelExpenses: Cents;
  /** Excédent brut d'exploitation (EBE). */
  grossOperatingSurplus: Cents;
  /** Résultat d'exploitation. */
  operatingIncome: Cents;
  /** Résultat net: classes 7 − 6. */
  netIncome: Cents;
  /** Disponibilités: debit balances of 50 and 51 accounts, plus 53 and 54. */
  cash: Cents;
  /** Trésorerie nette: cash less credit balances of 51 accounts (519 and banks in overdraft). */
  netCash: Cents;
  /** Créances clients: debit balances of 411, 413, 416, 418, less credit balances of 419. */
  receivables: Cents;
  /** Dettes fournisseurs: credit balances of 401, 403, 408, less debit balances of 409. */
  payables: Cents;
  /** TVA collectée: credit movements of 4457. */
  vatCollected: Cents;
  /** TVA déductible: debit movements of 4456. */
  vatDeductible: Cents;
  byMonth: MonthlyFigures[];
}

/** Debit minus credit, the sign convention of every internal sum here. */
type Balance = Cents;

const startsWithAny = (account: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => account.startsWith(prefix));

const isCashAccount = (account: string) => startsWithAny(account, ['50', '51', '53', '54']);

export function computeIndicators(
  aggregates: readonly AccountMonthAggregate[],
  options: IndicatorOptions = {},
): Indicators {
  const flows = new Map<string, { debit: Cents; credit: Cents }>();
  const closing = new Map<string, Balance>();
  for (const row of aggregates) {
    closing.set(row.account, (closing.get(row.account) ?? 0) + row.debitCents - row.creditCents);
    if (row.opening) continue;
    const flow = flows.get(row.account) ?? { debit: 0, credit: 0 };
    flow.debit += row.debitCents;
    flow.credit += row.creditCents;
    flows.set(row.account, flow);
  }

  /** Net flow (debit − credit) of the accounts under the prefixes. */
  const net = (...prefixes: string[]): Balance => {
    let sum = 0;
    for (const [account, flow] of flows)
      if (startsWithAny(account, prefixes)) sum += flow.debit - flow.credit;
    return sum;
  };
  const movements = (side: 'debit' | 'credit', prefix: string): Cents => {
    let sum = 0;
    for (const [account, flow] of flows) if (account.startsWith(prefix)) sum += flow[side];
    return sum;
  };
  /** Sum of the closing balances on one side, account by account. */
  const balances = (
    side: 'debit' | 'credit',
    prefixes: readonly string[],
    except: readonly string[] = [],
  ) => {
    let sum = 0;
    for (const [account, balance] of closing) {
      if (!startsWithAny(account, prefixes) || startsWithAny(account, except)) continue;
      if (side === 'debit' && balance > 0) sum += balance;
      if (side === 'credit' && balance < 0) sum -= balance;
    }
    return sum;
  };

  // Intermediate management balances (soldes intermédiaires de gestion); products are credits.
  const revenue = -net('70');
  const salesOfGoods = -net('707', '7097');
  const costOfGoodsSold = net('607', '6087', '6097', '6037');
  const commercialMargin = salesOfGoods - costOfGoodsSold;
  const production = revenue - salesOfGoods - net('71') - net('72');
  const externalConsumption = net('60') - costOfGoodsSold + net('61', '62');
  const valueAdded = commercialMargin + production - externalConsumption;
  const operatingSubsidies = -net('74');
  const taxes = net('63');
  const personnelExpenses = net('64');
  const grossOperatingSurplus = valueAdded + operatingSubsidies - taxes - personnelExpenses;
  const operatingIncome = grossOperatingSurplus - net('75', '781', '791') - net('65', '681');
  const netIncome = -net('6', '7');

  const cash = cashAt(closing);
  return {
    revenue,
    salesOfGoods,
    costOfGoodsSold,
    commercialMargin,
    production,
    externalConsumption,
    valueAdded,
    operatingSubsidies,
    taxes,
    personnelExpenses,
    grossOperatingSurplus,
    operatingIncome,
    netIncome,
    cash: cash.cash,
    netCash: cash.netCash,
    receivables: balances('debit', ['411', '413', '416', '418']) - balances('credit', ['419']),
    payables: balances('credit', ['401', '403', '408']) - balances('debit', ['409']),
    vatCollected: movements('credit', '4457'),
    vatDeductible: movements('debit', '4456'),
    ...monthlySeries(aggregates, options),
  };
}

/** Cash and net cash from per-account balances (debit − credit). */
function cashAt(balances: ReadonlyMap<string, Balance>): { cash: Cents; netCash: Cents } {
  let cash = 0;
  let bankDebts = 0;
  for (const [account, balance] of balances) {
    if (!isCashAccount(account)) continue;
    const isBankOrSecurities = account.startsWith('50') || account.startsWith('51');
    if (!isBankOrSecurities)
      cash += balance; // cash box (53), letters of credit (54): as they are
    else if (balance > 0) cash += balance;
    if (account.startsWith('51') && balance < 0) bankDebts -= balance;
  }
  return { cash, netCash: cash - bankDebts };
}

function monthlySeries(
  aggregates: readonly AccountMonthAggregate[],
  options: IndicatorOptions,
): Pick<Indicators, 'period' | 'byMonth'> {
  const flowMonths = aggregates.filter((row) => !row.opening).map((row) => row.month);
  const firstMonth = options.fiscalYearStart
    ? optionMonth(options.fiscalYearStart, 'fiscalYearStart')
    : minOf(flowMonths);
  const lastMonth = options.fiscalYearEnd
    ? optionMonth(options.fiscalYearEnd, 'fiscalYearEnd')
    : maxOf(flowMonths);
  if (firstMonth === null || lastMonth === null || firstMonth > lastMonth)
    return { period: null, byMonth: [] };

  const months = monthRange(firstMonth, lastMonth);
  const index = new Map(months.map((month, i) => [month, i]));
  const revenue = new Array<Cents>(months.length).fill(0);
  const netIncome = new Array<Cents>(months.length).fill(0);
  // Cash accounts: balance before the first month, then movements of each month.
  const cashAccounts = new Map<string, { before: Balance; byMonth: Balance[] }>();

  for (const row of aggregates) {
    const balance = row.debitCents - row.creditCents;
    const i = index.get(row.month);
    if (!row.opening && i !== undefined) {
      if (row.account.startsWith('70')) revenue[i] = (revenue[i] as Cents) - balance;
      if (row.account.startsWith('6') || row.account.startsWith('7'))
        netIncome[i] = (netIncome[i] as Cents) - balance;
    }
    if (!isCashAccount(row.account)) continue;
    let account = cashAccounts.get(row.account);
    if (account === undefined) {
      account = { before: 0, byMonth: new Array<Balance>(months.length).fill(0) };
      cashAccounts.set(row.account, account);
    }
    // Opening balances and anything dated before the series count from the start; movements
    // dated after it are left out of the series.
    if (row.opening || row.month < firstMonth) account.before += balance;
    else if (i !== undefined) account.byMonth[i] = (account.byMonth[i] as Balance) + balance;
  }

  const running = new Map<string, Balance>(
    [...cashAccounts].map(([account, { before }]) => [account, before]),
  );
  const byMonth = months.map((month, i): MonthlyFigures => {
    for (const [account, { byMonth: movements }] of cashAccounts) {
      running.set(account, (running.get(account) ?? 0) + (movements[i] as Balance));
    }
    const { cash, netCash } = cashAt(running);
    return { month, revenue: revenue[i] as Cents, netIncome: netIncome[i] as Cents, cash, netCash };
  });
  return { period: { firstMonth, lastMonth }, byMonth };
}

/** The shape of Indicators with amounts in euros (at most two decimals), for JSON output only. */
export type EuroFigures = Indicators;

/** The same figures with amounts in euros instead of cents, for display and JSON. */
export function toEuroFigures(indicators: Indicators): EuroFigures {
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(indicators)) {
    converted[key] = typeof value === 'number' ? centsToEuros(value) : value;
  }
  return {
    ...(converted as unknown as Indicators),
    byMonth: indicators.byMonth.map((month) => ({
      month: month.month,
      revenue: centsToEuros(month.revenue),
      netIncome: centsToEuros(month.netIncome),
      cash: centsToEuros(month.cash),
      netCash: centsToEuros(month.netCash),
    })),
  };
}

function optionMonth(date: string, name: string): IsoMonth {
  const value = String(parseOptionDate(date, name));
  return `${value.slice(0, 4)}-${value.slice(4, 6)}`;
}

function monthRange(first: IsoMonth, last: IsoMonth): IsoMonth[] {
  const months: IsoMonth[] = [];
  let year = Number(first.slice(0, 4));
  let month = Number(first.slice(5, 7));
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
}

function minOf(values: readonly string[]): string | null {
  let min: string | null = null;
  for (const value of values) if (min === null || value < min) min = value;
  return min;
}

function maxOf(values: readonly string[]): string | null {
  let max: string | null = null;
  for (const value of values) if (max === null || value > max) max = value;
  return max;
}
