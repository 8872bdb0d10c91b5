/**
 * Reading the CSV files firms export from their production software or from Excel: the
 * encoding is guessed (Excel "CSV" is Windows-1252, "CSV UTF-8" has a BOM, "Texte Unicode" is
 * UTF-16), the separator is read from the header line, and fields follow RFC 4180 (quotes,
 * doubled quotes, separators and line breaks inside quotes).
 */

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

// Windows-1252 is Latin-1 except for 0x80–0x9F (WHATWG Encoding Standard's table; 0x81,
// 0x8D, 0x8F, 0x90 and 0x9D stay as they are). Node 20.18.3 and later decode
// `TextDecoder('windows-1252')` as plain Latin-1 (nodejs/node#60888), which turns
// ’ € œ … into control characters, so the block is mapped here.
const WINDOWS_1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80] as string);
}

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  }
  try {
    // `fatal` makes any byte sequence that is not UTF-8 throw; the BOM, if any, is dropped.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Every byte is a character in Windows-1252: this never fails, at worst it shows odd letters.
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

export const CSV_SEPARATORS = [';', ',', '\t'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

/** The separator that splits the header line most (outside quotes); `;` when none does. */
export function detectSeparator(text: string): CsvSeparator {
  const counts = new Map<CsvSeparator, number>(CSV_SEPARATORS.map((s) => [s, 0]));
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && counts.has(ch as CsvSeparator)) {
      counts.set(ch as CsvSeparator, (counts.get(ch as CsvSeparator) ?? 0) + 1);
    }
  }
  let best: CsvSeparator = ';';
  for (const separator of CSV_SEPARATORS) {
    if ((counts.get(separator) ?? 0) > (counts.get(best) ?? 0)) best = separator;
  }
  return best;
}

export interface CsvRecord {
  /** Line of the file where the record starts (1-based), as a text editor shows it. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export class CsvTooManyRecordsError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} records`);
    this.name = 'CsvTooManyRecordsError';
  }
}

/**
 * Splits the text into records. Blank lines (and lines of empty fields, as spreadsheets
 * write them) are skipped. A quote inside an unquoted field is kept as a character, as
 * spreadsheets do; a quoted field left open at the end of the file is an error.
 * Stops with CsvTooManyRecordsError past `maxRecords` so a huge file costs no more than that.
 */
export function parseCsv(
  text: string,
  separator: string,
  maxRecords = Number.POSITIVE_INFINITY,
): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (fields.some((f) => f.trim() !== '')) {
      if (records.length >= maxRecords) throw new CsvTooManyRecordsError(maxRecords);
      records.push({ line: recordLine, fields });
    }
    fields = [];
  };

  const length = text.length;
  for (let i = 0; i < length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      quoteLine = line;
    } else if (ch === separator) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) {
    throw new CsvSyntaxError(quoteLine, `Guillemet ouvert ligne ${quoteLine} et jamais fermé.`);
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}
