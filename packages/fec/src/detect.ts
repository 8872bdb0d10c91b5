/**
 * Reads the header line: which separator, which columns where, which amount layout.
 *
 * The separator is the one among TAB, `|`, `;` and `,` that splits the header into the most
 * regulatory column names — counting occurrences alone would be fooled by a `,` inside a name.
 * Names are compared case- and accent-insensitively, ignoring spaces and punctuation, because
 * exports write `MontantDevise`, `Montantdevise` or `Montant devise`.
 */
import { isUtf8 } from 'node:buffer';
import { decodeBytes } from './decode.ts';
import { FieldSplitter } from './parse.ts';
import type { AmountLayout, FecSeparator, FecVariant } from './types.ts';

/** Regulatory columns (article A47 A-1 of the Livre des procédures fiscales), in official order. */
export const STANDARD_COLUMNS = [
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
] as const;

/** Replace Debit and Credit in the Montant + Sens layout. */
export const AMOUNT_DIRECTION_COLUMNS = ['Montant', 'Sens'] as const;

/** Added by the cash-basis variant (BNC and BA keeping their books on a cash basis). */
export const CASH_BASIS_COLUMNS = ['DateRglt', 'ModeRglt', 'NatOp', 'IdClient'] as const;

export type FecColumn =
  | (typeof STANDARD_COLUMNS)[number]
  | (typeof AMOUNT_DIRECTION_COLUMNS)[number]
  | (typeof CASH_BASIS_COLUMNS)[number];

const KNOWN_COLUMNS: readonly FecColumn[] = [
  ...STANDARD_COLUMNS,
  ...AMOUNT_DIRECTION_COLUMNS,
  ...CASH_BASIS_COLUMNS,
];

const COLUMN_BY_NORMALIZED_NAME = new Map<string, FecColumn>(
  KNOWN_COLUMNS.map((column) => [normalizeColumnName(column), column]),
);

const SEPARATORS: ReadonlyArray<[FecSeparator, number]> = [
  ['\t', 0x09],
  ['|', 0x7c],
  [';', 0x3b],
  [',', 0x2c],
];

/** Below this many recognised names, the first line is not a FEC header. */
const MIN_RECOGNISED_COLUMNS = 4;

export function normalizeColumnName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export interface HeaderLayout {
  separator: FecSeparator;
  separatorByte: number;
  /** Names as written, trailing empty column removed. */
  columns: string[];
  /** Position of each known column, -1 when absent. */
  positions: Record<FecColumn, number>;
  amountLayout: AmountLayout;
  variant: FecVariant;
  extraColumns: string[];
  trailingSeparator: boolean;
}

export type HeaderProblem =
  | { kind: 'not-recognized'; firstLine: string }
  | { kind: 'too-many-columns'; count: number; max: number }
  | { kind: 'duplicate-column'; column: string }
  | { kind: 'missing-column'; column: string };

export type HeaderDetection =
  | { ok: true; layout: HeaderLayout }
  | { ok: false; problems: HeaderProblem[]; separator: FecSeparator | null; columns: string[] };

export function detectHeader(line: Buffer, maxColumns: number): HeaderDetection {
  // The header is ASCII in practice; decode it leniently so an accented name still matches.
  const text = (bytes: Uint8Array) => decodeBytes(bytes, isUtf8(line) ? 'utf-8' : 'windows-1252');
  const candidates = SEPARATORS.map(([separator, separatorByte]) => {
    const names = splitHeader(line, separatorByte, text);
    const recognised = names.filter((name) =>
      COLUMN_BY_NORMALIZED_NAME.has(normalizeColumnName(name)),
    ).length;
    return { separator, separatorByte, names, recognised };
  });
  const best = candidates.reduce((a, b) => (b.recognised > a.recognised ? b : a));
  if (best.recognised < MIN_RECOGNISED_COLUMNS) {
    return {
      ok: false,
      problems: [{ kind: 'not-recognized', firstLine: text(line.subarray(0, 120)) }],
      separator: null,
      columns: [],
    };
  }

  const names = [...best.names];
  const trailingSeparator = names.length > 1 && names[names.length - 1] === '';
  if (trailingSeparator) names.pop();
  const failure = (problems: HeaderProblem[]): HeaderDetection => ({
    ok: false,
    problems,
    separator: best.separator,
    columns: names.slice(0, 50),
  });
  if (names.length > maxColumns) {
    return failure([{ kind: 'too-many-columns', count: names.length, max: maxColumns }]);
  }

  const positions = Object.fromEntries(KNOWN_COLUMNS.map((column) => [column, -1])) as Record<
    FecColumn,
    number
  >;
  const extraColumns: string[] = [];
  const problems: HeaderProblem[] = [];
  names.forEach((name, index) => {
    const column = COLUMN_BY_NORMALIZED_NAME.get(normalizeColumnName(name));
    if (column === undefined) extraColumns.push(name);
    else if (positions[column] !== -1) problems.push({ kind: 'duplicate-column', column });
    else positions[column] = index;
  });

  const has = (column: FecColumn) => positions[column] !== -1;
  const amountLayout: AmountLayout =
    has('Debit') || has('Credit') || !has('Montant') ? 'debit-credit' : 'amount-direction';
  const required: FecColumn[] = STANDARD_COLUMNS.filter(
    (column) => amountLayout === 'debit-credit' || (column !== 'Debit' && column !== 'Credit'),
  );
  if (amountLayout === 'amount-direction') required.splice(11, 0, ...AMOUNT_DIRECTION_COLUMNS);
  for (const column of required) if (!has(column)) problems.push({ kind: 'missing-column', column });
  if (problems.length > 0) return failure(problems);

  // Montant/Sens next to Debit/Credit carry nothing more: ignore them like any extra column.
  if (amountLayout === 'debit-credit') {
    for (const column of AMOUNT_DIRECTION_COLUMNS) {
      if (has(column)) {
        extraColumns.push(names[positions[column]] ?? column);
        positions[column] = -1;
      }
    }
  }
  return {
    ok: true,
    layout: {
      separator: best.separator,
      separatorByte: best.separatorByte,
      columns: names,
      positions,
      amountLayout,
      variant: CASH_BASIS_COLUMNS.every(has) ? 'cash-basis' : 'standard',
      extraColumns,
      trailingSeparator,
    },
  };
}

function splitHeader(line: Buffer, separatorByte: number, text: (bytes: Uint8Array) => string): string[] {
  // A header line fits in the line cap (64 KiB by default), hence at most that many fields.
  const splitter = new FieldSplitter(separatorByte, line.length + 1);
  const count = splitter.split(line, 0, line.length);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(text(line.subarray(splitter.starts[i], splitter.ends[i])).replaceAll('"', '').trim());
  }
  return names;
}
