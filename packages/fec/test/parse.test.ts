import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_OUT_OF_RANGE,
  FieldSplitter,
  INVALID_DATE,
  NO_DATE,
  parseAmountCents,
  parseDate,
  parseDirection,
  rawText,
} from '../src/parse.ts';
import { CLEAN_FORMAT, type FecFormat, formatAmount } from './support/fec-builder.ts';

const amount = (text: string) => {
  const bytes = Buffer.from(text, 'latin1');
  return parseAmountCents(bytes, 0, bytes.length);
};
const date = (text: string) => parseDate(Buffer.from(text), 0, text.length);
const direction = (text: string) => parseDirection(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text));

describe('parseAmountCents', () => {
  it.each([
    ['', 0],
    ['0', 0],
    ['0,00', 0],
    ['12,50', 1250],
    ['12.50', 1250],
    ['12,5', 1250],
    ['12', 1200],
    ['12,', 1200],
    [',5', 50],
    ['0000000069,60', 6960],
    ['-12,50', -1250],
    ['12,50-', -1250],
    ['+12,50', 1250],
    ['12,50+', 1250],
    ['- 12,50', -1250],
    ['-0,00', 0],
    ['69,6000', 6960],
    ['1 234,56', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['1.234.567', 123456700],
    ['9999999999999,99', 999999999999999],
    ['0,1', 10],
  ])('reads %j as %d cents', (text, cents) => {
    expect(amount(text)).toBe(cents);
  });

  it.each([
    'abc',
    '12,34,56x',
    '1,234',
    '12,345',
    '-',
    '--5',
    '-5-',
    '1e3',
    '12 ,50',
    '1.2.3',
    '1 23,00',
    '12,5a',
    ',',
    '1.234,5.6',
  ])('refuses %j', (text) => {
    expect(amount(text)).toBeNaN();
  });

  it('refuses amounts of fourteen digits of euros and more', () => {
    expect(amount('10000000000000,00')).toBe(AMOUNT_OUT_OF_RANGE);
    expect(amount('99999999999999999999999')).toBe(AMOUNT_OUT_OF_RANGE);
    // Zero padding does not count as digits.
    expect(amount('000000000000000000012,00')).toBe(1200);
  });

  it('reads back any amount written in any variant (property)', () => {
    const formats = fc.record({
      decimalSeparator: fc.constantFrom<FecFormat['decimalSeparator']>(',', '.'),
      signPlacement: fc.constantFrom<FecFormat['signPlacement']>('before', 'after'),
      zeroPadAmounts: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -999_999_999_999_99, max: 999_999_999_999_99 }),
        formats,
        (cents, variant) => {
          const text = formatAmount(cents, { ...CLEAN_FORMAT, ...variant });
          expect(amount(text)).toBe(cents);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseDate', () => {
  it('reads valid YYYYMMDD dates', () => {
    expect(date('20231231')).toBe(20231231);
    expect(date('20240229')).toBe(20240229);
    expect(date('20000229')).toBe(20000229);
  });

  it.each([
    '20231399',
    '20230229',
    '21000229',
    '20231301',
    '20230000',
    '20230431',
    '2023123',
    '2023-12-31',
    '2023123a',
    '18991231',
  ])('refuses %j', (text) => {
    expect(date(text)).toBe(INVALID_DATE);
  });

  it('tells an empty date apart', () => {
    expect(date('')).toBe(NO_DATE);
  });
});

describe('parseDirection', () => {
  it.each([
    ['D', 1],
    ['d', 1],
    ['Débit', 1],
    ['+', 1],
    ['+1', 1],
    ['1', 1],
    ['C', -1],
    ['c', -1],
    ['Crédit', -1],
    ['-', -1],
    ['-1', -1],
    ['X', 0],
    ['', 0],
    ['2', 0],
  ])('reads %j as %d', (text, expected) => {
    expect(direction(text)).toBe(expected);
  });
});

describe('FieldSplitter', () => {
  const split = (line: string, separator = '\t', capacity = 10) => {
    const bytes = Buffer.from(line, 'latin1');
    const splitter = new FieldSplitter(separator.charCodeAt(0), capacity);
    const count = splitter.split(bytes, 0, bytes.length);
    const fields = Array.from({ length: Math.min(count, capacity) }, (_, i) =>
      rawText(
        bytes,
        splitter.starts[i] as number,
        splitter.ends[i] as number,
        splitter.escapedQuotes[i] === 1,
      ),
    );
    return { count, fields };
  };

  it('splits and trims padded fields', () => {
    expect(split('VE  \t  Ventes \t\t 12,50').fields).toEqual(['VE', 'Ventes', '', '12,50']);
  });

  it('keeps tabs inside fields only when TAB is the separator', () => {
    expect(split('a\t|b |\tc', '|').fields).toEqual(['a', 'b', 'c']);
  });

  it('reads quoted fields, with doubled quotes and separators inside', () => {
    expect(split('"VE";"Ventes; export";"dit ""oui""";12', ';').fields).toEqual([
      'VE',
      'Ventes; export',
      'dit "oui"',
      '12',
    ]);
  });

  it('falls back to the raw bytes when quotes do not close', () => {
    expect(split('"VE;Ventes', ';').fields).toEqual(['"VE', 'Ventes']);
    expect(split('"VE"x;Ventes', ';').fields).toEqual(['"VE"x', 'Ventes']);
  });

  it('counts a trailing separator as an empty last field', () => {
    expect(split('a\tb\t').fields).toEqual(['a', 'b', '']);
  });

  it('stops at capacity and says there are more', () => {
    const { count, fields } = split(Array.from({ length: 10_000 }, () => 'x').join('\t'), '\t', 19);
    expect(count).toBe(20);
    expect(fields).toHaveLength(19);
  });
});
