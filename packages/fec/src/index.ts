/**
 * @passerelle/fec — reads a FEC (Fichier des Écritures Comptables) as a stream, validates it
 * like the DGFiP checker, aggregates it per account and month, and computes key figures.
 *
 *   const { report, aggregates } = await readFec(createReadStream(path), { fiscalYearEnd: '2023-12-31' });
 *   if (report.status === 'accepted') computeIndicators(aggregates, { fiscalYearStart, fiscalYearEnd });
 */
export { CASH_BASIS_COLUMNS, STANDARD_COLUMNS } from './detect.ts';
export { type FiscalYear, fiscalYearFromFileName } from './fiscal-year.ts';
export {
  computeIndicators,
  type EuroFigures,
  type IndicatorOptions,
  type Indicators,
  type MonthlyFigures,
  toEuroFigures,
} from './indicators.ts';
export { centsToEuros, formatCentsFr } from './money.ts';
export { FecReader, readFec } from './reader.ts';
export {
  describeIssueFr,
  type FormatReportOptions,
  formatIndicatorsFr,
  formatReportFr,
  ISSUE_TITLES_FR,
} from './report-fr.ts';
export type * from './types.ts';
export { ISSUE_SEVERITY } from './validate.ts';
