import { SEARCH_FOLD_FROM, SEARCH_FOLD_PAIRS, SEARCH_FOLD_TO } from '../../db/schema/portfolio.ts';

/** Limits of a client file's fields, shared by the form and the CSV import. */
export const FILE_LIMITS = { code: 20, name: 200, legalForm: 20 } as const;

/** Spaces, including the non-breaking ones French number formatting inserts. */
export const normalizeSiren = (value: string) => value.replace(/\s+/g, '');

// La Poste's SIREN predates the check digit and is the one known exception to it.
const LA_POSTE_SIREN = '356000000';

/** Nine digits whose Luhn sum is a multiple of ten. */
export function isValidSiren(siren: string): boolean {
  if (!/^\d{9}$/.test(siren)) return false;
  if (siren === LA_POSTE_SIREN) return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(siren[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A fiscal year end written JJ/MM/AAAA (as French spreadsheets show dates) or AAAA-MM-JJ,
 * as an ISO date; null when it is not a real calendar day.
 */
export function parseFrenchDate(value: string): string | null {
  const trimmed = value.trim();
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  let year: number;
  let month: number;
  let day: number;
  if (fr) [day, month, year] = [Number(fr[1]), Number(fr[2]), Number(fr[3])];
  else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  if (year < 1900 || year > 2199) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const foldMap = new Map<string, string>();
{
  const from = [...SEARCH_FOLD_FROM];
  const to = [...SEARCH_FOLD_TO];
  if (from.length !== to.length) throw new Error('search fold tables differ in length');
  for (const [i, ch] of from.entries()) foldMap.set(ch, to[i] as string);
  for (const [ch, replacement] of SEARCH_FOLD_PAIRS) foldMap.set(ch, replacement);
}

/** Folds text exactly as the `search_text` column is computed: accents off, lower case. */
export function foldForSearch(value: string): string {
  let out = '';
  for (const ch of value) out += foldMap.get(ch) ?? ch;
  return out.toLowerCase();
}

/** Header names compared without case, accents or punctuation: "Date de clôture" = "date de cloture". */
export const normalizeHeader = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
