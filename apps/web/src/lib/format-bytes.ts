import { type Language, localeOf } from '../i18n/i18n';
import { numberFormat } from './intl';

const units = ['B', 'KB', 'MB', 'GB'] as const;
const frenchUnits: Record<(typeof units)[number], string> = { B: 'o', KB: 'Ko', MB: 'Mo', GB: 'Go' };

/** 1536 → "1,5 Ko" in French (octets), "1.5 KB" in English. */
export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const name = units[unit] ?? 'B';
  const number = numberFormat(localeOf(language), { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(
    value,
  );
  return `${number}\u00a0${language === 'fr' ? frenchUnits[name] : name}`;
}
