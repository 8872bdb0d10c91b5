/**
 * Field splitting and value parsing straight from a line's bytes. Nothing here allocates on the
 * common path: fields are offsets into the line, amounts and dates are read digit by digit into
 * integers (amounts as cents: euros never go through floating point).
 */

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const PLUS = 0x2b;
const MINUS = 0x2d;
const COMMA = 0x2c;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Splits a line into trimmed fields. Fields are not quoted in a FEC, but some exports quote them
 * anyway (mostly with `;`); a field starting with `"` is read as quoted, with `""` as an escaped
 * quote, and falls back to its raw bytes when the quotes do not close properly.
 */
export class FieldSplitter {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 when the field is quoted and contains `""` that must be unescaped. */
  readonly escapedQuotes: Uint8Array;

  constructor(
    private readonly separator: number,
    /** Most fields kept; the count still tells how many there were (up to capacity + 1). */
    readonly capacity: number,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.escapedQuotes = new Uint8Array(capacity);
  }

  /** Splits `bytes[start, end)`. Returns the number of fields, or `capacity + 1` when there are more. */
  split(bytes: Buffer, start: number, end: number): number {
    const separator = this.separator;
    const trimTabs = separator !== TAB;
    let count = 0;
    let position = start;
    for (;;) {
      if (count === this.capacity) return this.capacity + 1;
      let fieldStart = position;
      while (fieldStart < end && (bytes[fieldStart] === SPACE || (trimTabs && bytes[fieldStart] === TAB))) {
        fieldStart++;
      }
      this.escapedQuotes[count] = 0;
      if (fieldStart < end && bytes[fieldStart] === QUOTE) {
        const after = this.readQuoted(bytes, fieldStart, end, count);
        if (after >= 0) {
          count++;
          if (after >= end) return count;
          position = after + 1;
          continue;
        }
      }
      let fieldEnd = fieldStart;
      while (fieldEnd < end && bytes[fieldEnd] !== separator) fieldEnd++;
      const next = fieldEnd;
      while (
        fieldEnd > fieldStart &&
        (bytes[fieldEnd - 1] === SPACE || (trimTabs && bytes[fieldEnd - 1] === TAB))
      ) {
        fieldEnd--;
      }
      this.starts[count] = fieldStart;
      this.ends[count] = fieldEnd;
      count++;
      if (next >= end) return count;
      position = next + 1;
    }
  }

  /**
   * Reads a quoted field opening at `quoteAt`. Returns the index of the separator (or `end`) that
   * follows it, or -1 when the field is not properly quoted.
   */
  private readQuoted(bytes: Buffer, quoteAt: number, end: number, index: number): number {
    let position = quoteAt + 1;
    let escaped = false;
    while (position < end) {
      if (bytes[position] === QUOTE) {
        if (bytes[position + 1] === QUOTE && position + 1 < end) {
          escaped = true;
          position += 2;
          continue;
        }
        let after = position + 1;
        while (after < end && bytes[after] === SPACE) after++;
        if (after < end && bytes[after] !== this.separator) return -1;
        this.starts[index] = quoteAt + 1;
        this.ends[index] = position;
        this.escapedQuotes[index] = escaped ? 1 : 0;
        return after;
      }
      position++;
    }
    return -1;
  }
}

/**
 * The field's bytes as a string with one character per byte (Latin-1). Keys such as journal
 * codes and account numbers stay in this form while reading — they are ASCII in practice — and
 * text is decoded properly once the file's encoding is known.
 */
export function rawText(bytes: Buffer, start: number, end: number, escapedQuotes = false): string {
  const text = bytes.toString('latin1', start, end);
  return escapedQuotes ? text.replaceAll('""', '"') : text;
}

/**
 * Remembers the last field read and returns the same string when the bytes repeat — journal
 * codes and entry numbers repeat from one line to the next, and comparing a few bytes is cheaper
 * than making a string.
 */
export class RepeatedText {
  private readonly last = Buffer.alloc(32);
  private lastLength = -1;
  private lastText = '';

  read(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === this.lastLength) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (bytes[start + i] !== this.last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastText;
    }
    const text = rawText(bytes, start, end);
    if (length <= this.last.length) {
      bytes.copy(this.last, 0, start, end);
      this.lastLength = length;
      this.lastText = text;
    } else {
      this.lastLength = -1;
    }
    return text;
  }
}

/** Returned by parseAmountCents when the text is not an amount. */
export const INVALID_AMOUNT = Number.NaN;
/** Returned by parseAmountCents when the amount is beyond the accepted range. */
export const AMOUNT_OUT_OF_RANGE = Number.POSITIVE_INFINITY;

/**
 * Up to 13 digits of euros (under ten thousand billion euros): every amount is below 1e15 cents,
 * and sums stay exact because the reader also caps the cumulated total (see reader.ts).
 */
const MAX_EURO_DIGITS = 13;

/**
 * Parses an amount into integer cents. Accepts what real exports write: empty (0), zero padding
 * (`0000000069,60`), comma or dot decimals, a sign before or after the number (`-12,50`,
 * `12,50-`), thousands separators (space, dot or comma, in groups of three), and extra decimals
 * only when they are zeros (`69,6000`). Returns INVALID_AMOUNT or AMOUNT_OUT_OF_RANGE otherwise.
 */
export function parseAmountCents(bytes: Buffer, start: number, end: number): number {
  let first = start;
  let last = end;
  if (first === last) return 0;
  let negative = false;
  const leading = bytes[first];
  if (leading === MINUS || leading === PLUS) {
    negative = leading === MINUS;
    first++;
    while (first < last && bytes[first] === SPACE) first++;
  } else {
    const trailing = bytes[last - 1];
    if (trailing === MINUS || trailing === PLUS) {
      negative = trailing === MINUS;
      last--;
      while (last > first && bytes[last - 1] === SPACE) last--;
    }
  }
  if (first === last) return INVALID_AMOUNT;

  const decimalAt = findDecimalSeparator(bytes, first, last);
  if (decimalAt === -2) return INVALID_AMOUNT;
  const integerEnd = decimalAt === -1 ? last : decimalAt;

  // Integer part, with optional thousands separators (one kind, groups of three).
  let euros = 0;
  let significantDigits = 0;
  let digits = 0;
  let groupSeparator = 0;
  let digitsInGroup = 0;
  for (let i = first; i < integerEnd; i++) {
    const byte = bytes[i] as number;
    if (byte >= DIGIT_0 && byte <= DIGIT_9) {
      if (euros !== 0 || byte !== DIGIT_0) significantDigits++;
      euros = euros * 10 + (byte - DIGIT_0);
      digits++;
      digitsInGroup++;
      continue;
    }
    if (byte !== SPACE && byte !== DOT && byte !== COMMA) return INVALID_AMOUNT;
    if (groupSeparator === 0) {
      if (digitsInGroup === 0 || digitsInGroup > 3) return INVALID_AMOUNT;
      groupSeparator = byte;
    } else if (byte !== groupSeparator || digitsInGroup !== 3) {
      return INVALID_AMOUNT;
    }
    digitsInGroup = 0;
  }
  if (groupSeparator !== 0 && digitsInGroup !== 3) return INVALID_AMOUNT;
  if (significantDigits > MAX_EURO_DIGITS) return AMOUNT_OUT_OF_RANGE;

  // Decimal part: two digits of cents, further digits only if zeros (no rounding, ever).
  let cents = 0;
  if (decimalAt !== -1) {
    for (let i = decimalAt + 1, position = 0; i < last; i++, position++) {
      const byte = bytes[i] as number;
      if (byte < DIGIT_0 || byte > DIGIT_9) return INVALID_AMOUNT;
      const digit = byte - DIGIT_0;
      if (position === 0) cents += digit * 10;
      else if (position === 1) cents += digit;
      else if (digit !== 0) return INVALID_AMOUNT;
      digits++;
    }
  }
  if (digits === 0) return INVALID_AMOUNT;
  const total = euros * 100 + cents;
  return negative && total !== 0 ? -total : total;
}

/**
 * Index of the decimal separator in `bytes[first, last)`, -1 when there is none, -2 when the
 * punctuation makes no sense. The last `,` or `.` is the decimal separator unless it is the only
 * kind and appears several times (then it groups thousands: `1.234.567`).
 */
function findDecimalSeparator(bytes: Buffer, first: number, last: number): number {
  let commas = 0;
  let dots = 0;
  let lastComma = -1;
  let lastDot = -1;
  for (let i = first; i < last; i++) {
    const byte = bytes[i];
    if (byte === COMMA) {
      commas++;
      lastComma = i;
    } else if (byte === DOT) {
      dots++;
      lastDot = i;
    }
  }
  if (commas === 0 && dots === 0) return -1;
  if (commas > 0 && dots > 0) {
    const decimalAt = Math.max(lastComma, lastDot);
    const decimalCount = decimalAt === lastComma ? commas : dots;
    return decimalCount === 1 ? decimalAt : -2;
  }
  if (commas + dots > 1) return -1;
  return commas > 0 ? lastComma : lastDot;
}

/** Returned by parseDate for an empty field. */
export const NO_DATE = 0;
/** Returned by parseDate for a malformed or impossible date. */
export const INVALID_DATE = -1;

/**
 * Parses a `YYYYMMDD` date into the integer YYYYMMDD, checking that the day exists
 * (20231399 and 20230229 are invalid). Years outside 1900..2199 are rejected as typos.
 */
export function parseDate(bytes: Buffer, start: number, end: number): number {
  if (start === end) return NO_DATE;
  if (end - start !== 8) return INVALID_DATE;
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < DIGIT_0 || byte > DIGIT_9) return INVALID_DATE;
    value = value * 10 + (byte - DIGIT_0);
  }
  return isValidDate(value) ? value : INVALID_DATE;
}

export function isValidDate(yyyymmdd: number): boolean {
  const year = Math.floor(yyyymmdd / 10000);
  const month = Math.floor(yyyymmdd / 100) % 100;
  const day = yyyymmdd % 100;
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYYMMDD` integer to `YYYY-MM-DD`. */
export function formatIsoDate(yyyymmdd: number): string {
  const text = String(yyyymmdd);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** Accepts `YYYY-MM-DD` or `YYYYMMDD`, as given in options. Throws on anything else (a caller's bug). */
export function parseOptionDate(text: string, name: string): number {
  const compact = /^\d{4}-\d{2}-\d{2}$/.test(text) ? text.replaceAll('-', '') : text;
  const value = /^\d{8}$/.test(compact) ? Number(compact) : Number.NaN;
  if (!isValidDate(value))
    throw new TypeError(`${name}: date attendue au format AAAA-MM-JJ, reçu « ${text} »`);
  return value;
}

/** Direction of a Montant: +1 debit, -1 credit, 0 when unreadable. */
export type Direction = 1 | -1 | 0;

/**
 * Reads Sens. The regulation allows D/C and +1/-1; exports also write `Débit`/`Crédit`, `+`/`-`
 * and `1`.
 */
export function parseDirection(bytes: Buffer, start: number, end: number): Direction {
  if (start === end) return 0;
  const letter = (bytes[start] as number) | 0x20; // ASCII lower case
  if (letter === 0x64) return 1; // d, débit
  if (letter === 0x63) return -1; // c, crédit
  const text = bytes.toString('latin1', start, end);
  if (text === '+' || text === '+1' || text === '1') return 1;
  if (text === '-' || text === '-1') return -1;
  return 0;
}

/** Whether `bytes[start, end)` starts with three digits, as a chart-of-accounts number does. */
export function startsWithThreeDigits(bytes: Buffer, start: number, end: number): boolean {
  if (end - start < 3) return false;
  for (let i = start; i < start + 3; i++) {
    const byte = bytes[i] as number;
    if (byte < DIGIT_0 || byte > DIGIT_9) return false;
  }
  return true;
}
