/**
 * Writes FEC files the way real software does, in every variant the reader must accept, so that
 * tests know the expected totals by construction.
 */
import { highByteTable } from '../../src/decode.ts';
import type { FecEncoding } from '../../src/types.ts';

export interface FecLine {
  journal: string;
  journalLabel: string;
  entryNumber: string;
  /** YYYYMMDD */
  date: string;
  account: string;
  accountLabel: string;
  label: string;
  debitCents: number;
  creditCents: number;
}

export interface FecFormat {
  separator: '\t' | '|' | ';' | ',';
  encoding: FecEncoding;
  bom: boolean;
  lineEnd: '\n' | '\r\n' | '\r' | '\r\r\n';
  amountLayout: 'debit-credit' | 'amount-direction';
  /** How Sens is written in the Montant + Sens layout. */
  directionStyle: 'DC' | 'plus-minus' | 'one';
  signPlacement: 'before' | 'after';
  decimalSeparator: ',' | '.';
  /** Zero-pad amounts to 13 characters (`0000000069,60`). */
  zeroPadAmounts: boolean;
  /** Pad every field with spaces to a fixed width. */
  padFields: boolean;
  /** Write an empty field instead of a zero amount. */
  emptyZero: boolean;
  headerCase: 'canonical' | 'lower' | 'upper' | 'mixed';
  trailingSeparator: boolean;
  /** The 22-column cash-basis variant. */
  cashBasis: boolean;
  /** An extra, non-regulatory column at the end (CodeEtablissement). */
  extraColumn: boolean;
  /** Line end after the last line. */
  finalLineEnd: boolean;
}

export const CLEAN_FORMAT: FecFormat = {
  separator: '\t',
  encoding: 'utf-8',
  bom: false,
  lineEnd: '\n',
  amountLayout: 'debit-credit',
  directionStyle: 'DC',
  signPlacement: 'before',
  decimalSeparator: ',',
  zeroPadAmounts: false,
  padFields: false,
  emptyZero: false,
  headerCase: 'canonical',
  trailingSeparator: false,
  cashBasis: false,
  extraColumn: false,
  finalLineEnd: true,
};

const BASE_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
];

export function columnsOf(format: FecFormat): string[] {
  const columns =
    format.amountLayout === 'debit-credit'
      ? [...BASE_COLUMNS]
      : BASE_COLUMNS.flatMap((column) =>
          column === 'Debit' ? ['Montant', 'Sens'] : column === 'Credit' ? [] : [column],
        );
  if (format.cashBasis) columns.push('DateRglt', 'ModeRglt', 'NatOp', 'IdClient');
  if (format.extraColumn) columns.push('CodeEtablissement');
  return columns;
}

function caseHeader(name: string, headerCase: FecFormat['headerCase']): string {
  if (headerCase === 'lower') return name.toLowerCase();
  if (headerCase === 'upper') return name.toUpperCase();
  if (headerCase === 'mixed')
    return [...name].map((char, i) => (i % 2 ? char.toUpperCase() : char.toLowerCase())).join('');
  return name;
}

export function formatAmount(cents: number, format: FecFormat): string {
  if (cents === 0 && format.emptyZero) return '';
  const absolute = Math.abs(cents);
  let number = `${Math.floor(absolute / 100)}${format.decimalSeparator}${String(absolute % 100).padStart(2, '0')}`;
  if (format.zeroPadAmounts) number = number.padStart(13, '0');
  if (cents >= 0) return number;
  return format.signPlacement === 'before' ? `-${number}` : `${number}-`;
}

function direction(isDebit: boolean, style: FecFormat['directionStyle']): string {
  if (style === 'DC') return isDebit ? 'D' : 'C';
  if (style === 'plus-minus') return isDebit ? '+' : '-';
  return isDebit ? '1' : '-1';
}

function fieldsOf(line: FecLine, format: FecFormat): string[] {
  const common = [
    line.journal,
    line.journalLabel,
    line.entryNumber,
    line.date,
    line.account,
    line.accountLabel,
  ];
  const aux = line.account.startsWith('411') ? ['C0001', 'Client Dupont'] : ['', ''];
  const piece = [`P${line.entryNumber}`, line.date, line.label];
  let amounts: string[];
  if (format.amountLayout === 'debit-credit') {
    amounts = [formatAmount(line.debitCents, format), formatAmount(line.creditCents, format)];
  } else {
    // One side per line in this layout: the builder never fills both.
    const isDebit = line.creditCents === 0;
    amounts = [
      formatAmount(isDebit ? line.debitCents : line.creditCents, { ...format, emptyZero: false }),
      direction(isDebit, format.directionStyle),
    ];
  }
  const tail = ['', '', line.date, '', ''];
  const fields = [...common, ...aux, ...piece, ...amounts, ...tail];
  if (format.cashBasis) fields.push(line.date, 'VIR', '', '');
  if (format.extraColumn) fields.push('001');
  return fields;
}

/** The file as text (before encoding). */
export function fecText(lines: readonly FecLine[], format: FecFormat): string {
  const pad = (field: string, width: number) => (format.padFields ? field.padEnd(width, ' ') : field);
  const render = (fields: string[]) => {
    const text = fields.map((field) => pad(field, 14)).join(format.separator);
    return format.trailingSeparator ? `${text}${format.separator}` : text;
  };
  const rows = [
    render(columnsOf(format).map((column) => caseHeader(column, format.headerCase))),
    ...lines.map((line) => render(fieldsOf(line, format))),
  ];
  return rows.join(format.lineEnd) + (format.finalLineEnd ? format.lineEnd : '');
}

/** The file as bytes in the format's encoding. Throws on a character the encoding lacks. */
export function fecBytes(lines: readonly FecLine[], format: FecFormat): Buffer {
  const body = encodeText(fecText(lines, format), format.encoding);
  return format.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

export function encodeText(text: string, encoding: FecEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const byCodePoint = new Map(highByteTable(encoding).map((codePoint, i) => [codePoint, 0x80 + i]));
  return Buffer.from(
    [...text].map((char) => {
      const codePoint = char.codePointAt(0) as number;
      if (codePoint < 0x80) return codePoint;
      const byte = byCodePoint.get(codePoint);
      if (byte === undefined) throw new Error(`${char} cannot be written in ${encoding}`);
      return byte;
    }),
  );
}

/** Feeds bytes in chunks of the given sizes (cycled), as a network upload would. */
export async function* chunked(bytes: Buffer, sizes: readonly number[] = [65536]): AsyncGenerator<Buffer> {
  let position = 0;
  let i = 0;
  while (position < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? 65536);
    yield bytes.subarray(position, position + size);
    position += size;
  }
}

/** A minimal valid file: one balanced sale. */
export function simpleLines(): FecLine[] {
  const base = {
    journal: 'VE',
    journalLabel: 'Ventes',
    entryNumber: '1',
    date: '20230115',
    label: 'Facture 1',
  };
  return [
    { ...base, account: '41100000', accountLabel: 'Clients', debitCents: 12000, creditCents: 0 },
    { ...base, account: '70600000', accountLabel: 'Prestations', debitCents: 0, creditCents: 10000 },
    { ...base, account: '44571000', accountLabel: 'TVA collectée', debitCents: 0, creditCents: 2000 },
  ];
}
