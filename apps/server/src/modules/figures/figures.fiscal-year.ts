import type { FiscalYear } from '@passerelle/fec';
import { AppError } from '../../lib/errors.ts';

/** A first fiscal year may run up to 24 months. */
const MAX_FISCAL_YEAR_MONTHS = 24;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (date: Date) => date.toISOString().slice(0, 10);

/** `date` moved by whole months and days, in UTC (Feb 29 + 12 months - 1 day -> Feb 27). */
function shift(iso: string, months: number, days: number): string {
  const date = toDate(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay) + days);
  return toIso(date);
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [{ path, code: 'invalid_fiscal_year', message }]);
}

/**
 * The fiscal year the caller gave: both bounds, or one of them and twelve months. Null when the
 * caller gave none (the file name or the entries will tell).
 */
export function requestedFiscalYear(query: {
  fiscalYearStart?: string | undefined;
  fiscalYearEnd?: string | undefined;
}): FiscalYear | null {
  const { fiscalYearStart: start, fiscalYearEnd: end } = query;
  if (start === undefined && end === undefined) return null;
  const year: FiscalYear = {
    start: start ?? shift(end as string, -12, 1),
    end: end ?? shift(start as string, 12, -1),
  };
  if (year.start > year.end) {
    throw invalid('fiscalYearEnd', "La clôture de l'exercice doit suivre son ouverture.");
  }
  if (year.end > shift(year.start, MAX_FISCAL_YEAR_MONTHS, -1)) {
    throw invalid('fiscalYearEnd', `Un exercice dure au plus ${MAX_FISCAL_YEAR_MONTHS} mois.`);
  }
  return year;
}

/**
 * When neither the request nor the file name tells the year: from the first day of the month of
 * the first entry to the last day of the month of the last one.
 */
export function fiscalYearFromPeriod(period: { first: string; last: string } | null): FiscalYear | null {
  if (period === null) return null;
  const start = `${period.first.slice(0, 7)}-01`;
  const end = shift(`${period.last.slice(0, 7)}-01`, 1, -1);
  return { start, end };
}
