/**
 * The fiscal year of a FEC, when the caller does not know it: the regulatory file name is
 * `<SIREN>FEC<closing date AAAAMMJJ>.txt`, and a fiscal year is twelve months in general.
 */
import { formatIsoDate, isValidDate } from './parse.ts';
import type { IsoDate } from './types.ts';

export interface FiscalYear {
  start: IsoDate;
  end: IsoDate;
}

/** Reads the closing date from a FEC file name and assumes a twelve-month year; null if absent. */
export function fiscalYearFromFileName(fileName: string): FiscalYear | null {
  const match = /FEC(\d{8})/i.exec(fileName);
  const closing = match ? Number(match[1]) : Number.NaN;
  if (!isValidDate(closing)) return null;
  const year = Math.floor(closing / 10000);
  const month = Math.floor(closing / 100) % 100;
  const day = closing % 100;
  // The day after the closing date, one year earlier (closing 2024-02-29 -> start 2023-03-01).
  const start = new Date(Date.UTC(year, month - 1, day + 1));
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  const startValue = start.getUTCFullYear() * 10000 + (start.getUTCMonth() + 1) * 100 + start.getUTCDate();
  return { start: formatIsoDate(startValue), end: formatIsoDate(closing) };
}
