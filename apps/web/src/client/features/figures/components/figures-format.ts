import type { FiscalYear } from '@passerelle/contracts/figures';
import { type Language, localeOf } from '../../../../i18n/i18n';
import { dateTimeFormat, numberFormat } from '../../../../lib/intl';

function euroFormat(language: Language, kind: 'euros' | 'compact' | 'percent'): Intl.NumberFormat {
  const locale = localeOf(language);
  return kind === 'euros'
    ? numberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 })
    : kind === 'compact'
      ? numberFormat(locale, {
          style: 'currency',
          currency: 'EUR',
          notation: 'compact',
          maximumFractionDigits: 1,
        })
      : numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
}

/** Whole euros, as a company head reads them on a phone: 165 298 €. */
export function formatEuros(value: number, language: Language): string {
  // −0 would print "-0 €".
  return euroFormat(language, 'euros').format(Math.round(value) || 0);
}

/** Axis labels: 20 k€. */
export function formatCompactEuros(value: number, language: Language): string {
  return euroFormat(language, 'compact').format(value);
}

/** An unsigned percentage; the direction is said in words or by the arrow. */
export function formatPercent(value: number, language: Language): string {
  return euroFormat(language, 'percent').format(Math.abs(value));
}

/** Change against the previous year's absolute value; null without a meaningful base. */
export function variationOf(current: number, previous: number | undefined): number | null {
  if (previous === undefined || Math.round(previous) === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** "2023" for a calendar year, "2022-2023" for one straddling two. */
export function fiscalYearLabel(year: FiscalYear): string {
  const start = year.start.slice(0, 4);
  const end = year.end.slice(0, 4);
  return start === end ? end : `${start}-${end}`;
}

/** "2023-03" → "mars" (long) or "M" (narrow). */
export function monthName(month: string, language: Language, width: 'long' | 'narrow' | 'short'): string {
  const format = dateTimeFormat(localeOf(language), { month: width, timeZone: 'UTC' });
  const [year, monthNumber] = month.split('-').map(Number);
  return format.format(Date.UTC(year ?? 2000, (monthNumber ?? 1) - 1, 15));
}
