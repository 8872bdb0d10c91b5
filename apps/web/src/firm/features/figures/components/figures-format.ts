import { type Language, localeOf } from '../../../../i18n/i18n';
import { numberFormat } from '../../../../lib/intl';

function euroFormat(language: Language, decimals: 0 | 2): Intl.NumberFormat {
  return numberFormat(localeOf(language), {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Euros to the cent, the way accountants read them: 165 297,93 €. */
export function formatEuros(value: number, language: Language): string {
  return euroFormat(language, 2).format(value);
}

/** Integer cents of a report (journal totals) in euros. */
export function formatCents(cents: number, language: Language): string {
  return euroFormat(language, 2).format(cents / 100);
}

/**
 * Relative change from the previous year, or null when it says nothing (no previous year, or a
 * previous value of zero). Measured against the absolute previous value, so a loss shrinking
 * from −10 000 to −5 000 reads as an improvement (+50 %).
 */
export function variationOf(current: number, previous: number | undefined): number | null {
  if (previous === undefined || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

export function formatVariation(variation: number, language: Language): string {
  return numberFormat(localeOf(language), {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(variation);
}

/** The fiscal year a FEC's name tells, as the server reads it: "…FEC20231231.txt" → 2023-01-01 to 2023-12-31. */
export function fiscalYearFromFileName(name: string): { start: string; end: string } | null {
  const match = /FEC(\d{4})(\d{2})(\d{2})/i.exec(name);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const closing = new Date(Date.UTC(year, month - 1, day));
  if (
    closing.getUTCFullYear() !== year ||
    closing.getUTCMonth() !== month - 1 ||
    closing.getUTCDate() !== day
  )
    return null;
  // The day after the closing date, one year earlier (closing 2024-02-29 → start 2023-03-01).
  const start = new Date(Date.UTC(year, month - 1, day + 1));
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return { start: start.toISOString().slice(0, 10), end: closing.toISOString().slice(0, 10) };
}
