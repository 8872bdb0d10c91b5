import { type Language, localeOf } from '../i18n/i18n';
import { dateTimeFormat, numberFormat } from './intl';

/** "123456789" → "123 456 789" (the usual French grouping); anything else is shown as is. */
export function formatSiren(siren: string): string {
  return /^\d{9}$/.test(siren) ? `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}` : siren;
}

/** A calendar date from the API ("2025-12-31") in the reader's format (31/12/2025). */
export function formatDate(isoDate: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const format = dateTimeFormat(localeOf(language), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return format.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

export function formatCount(value: number, language: Language): string {
  return numberFormat(localeOf(language)).format(value);
}

function instantFormat(language: Language, withTime: boolean): Intl.DateTimeFormat {
  return dateTimeFormat(localeOf(language), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  });
}

/**
 * A moment from the API ("2026-03-12T09:41:00.000Z") as the reader's calendar day (12/03/2026),
 * in their time zone: a sign-in at 00:30 in Paris is on the Paris day, not the UTC one.
 */
export function formatDay(instant: string, language: Language): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : instantFormat(language, false).format(date);
}

/** A moment from the API with its time (12/03/2026 09:41). */
export function formatDateTime(instant: string, language: Language): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : instantFormat(language, true).format(date);
}
