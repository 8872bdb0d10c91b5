import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-reader.ts';

interface Collected {
  lines: Array<[number, string]>;
  tooLong: number[];
  prefixes: string[];
  lineEnding: string;
}

function splitLines(
  chunks: readonly Buffer[],
  maxLineBytes = 1024,
  stopAtLine = Number.POSITIVE_INFINITY,
): Collected {
  const collected: Collected = { lines: [], tooLong: [], prefixes: [], lineEnding: '' };
  const splitter = new LineSplitter(
    {
      onLine(bytes, start, end, lineNumber) {
        collected.lines.push([lineNumber, bytes.toString('latin1', start, end)]);
        return lineNumber < stopAtLine;
      },
      onLineTooLong(lineNumber, prefix) {
        collected.tooLong.push(lineNumber);
        collected.prefixes.push(prefix.toString('latin1'));
        return true;
      },
    },
    maxLineBytes,
  );
  for (const chunk of chunks) if (!splitter.push(chunk)) break;
  splitter.end();
  collected.lineEnding = splitter.lineEnding();
  return collected;
}

const cut = (text: string, sizes: number[]) => {
  const bytes = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  let position = 0;
  for (let i = 0; position < bytes.length; i++) {
    const size = sizes.length === 0 ? bytes.length : Math.max(1, sizes[i % sizes.length] as number);
    chunks.push(bytes.subarray(position, position + size));
    position += size;
  }
  return chunks;
};

describe('LineSplitter', () => {
  it.each([
    ['LF', 'a\nb\nc\n'],
    ['CRLF', 'a\r\nb\r\nc\r\n'],
    ['CR', 'a\rb\rc\r'],
    ['CRCRLF', 'a\r\r\nb\r\r\nc\r\r\n'],
  ])('reads %s line ends as one line end each', (name, text) => {
    const result = splitLines(cut(text, [1]));
    expect(result.lines).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(result.lineEnding).toBe(name);
  });

  it('delivers a last line without line end, and reports mixed line ends', () => {
    const result = splitLines(cut('a\r\nb\nc', []));
    expect(result.lines.map(([, text]) => text)).toEqual(['a', 'b', 'c']);
    expect(result.lineEnding).toBe('mixed');
  });

  it('keeps LF-only blank lines as lines (numbering stays right)', () => {
    expect(splitLines(cut('a\n\nb\n', [])).lines).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
    ]);
  });

  it('skips a too-long line without keeping it, and goes on after it', () => {
    const result = splitLines(cut(`head\n${'x'.repeat(5000)}\nnext\n`, [7]), 100);
    expect(result.tooLong).toEqual([2]);
    expect(result.prefixes).toEqual(['x'.repeat(100)]);
    expect(result.lines).toEqual([
      [1, 'head'],
      [3, 'next'],
    ]);
  });

  it('gives the first bytes of a too-long line that fits in one chunk', () => {
    const result = splitLines(cut(`${'y'.repeat(300)}\nnext`, []), 100);
    expect(result.prefixes).toEqual(['y'.repeat(100)]);
    expect(result.lines).toEqual([[2, 'next']]);
  });

  it('reports a too-long last line without line end once', () => {
    const result = splitLines(cut(`head\n${'x'.repeat(500)}`, [3]), 100);
    expect(result.tooLong).toEqual([2]);
    expect(result.lines).toEqual([[1, 'head']]);
  });

  it('accepts a line of exactly the maximum length', () => {
    const result = splitLines(cut(`${'x'.repeat(100)}\n`, [33]), 100);
    expect(result.tooLong).toEqual([]);
    expect(result.lines[0]?.[1]).toHaveLength(100);
  });

  it('stops when the handler says so', () => {
    expect(splitLines(cut('a\nb\nc\n', [1]), 100, 2).lines).toHaveLength(2);
  });

  it('finds the same lines whatever the line ends and chunk boundaries (property)', () => {
    const lineText = fc.string({
      unit: fc.constantFrom('a', 'b', '\t', '|', 'é', ' '),
      minLength: 1,
      maxLength: 30,
    });
    const lineEnd = fc.constantFrom('\n', '\r\n', '\r', '\r\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineText, lineEnd), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }),
        (lines, finalLineEnd, sizes) => {
          const text = lines
            .map(([line, end], i) => (i < lines.length - 1 || finalLineEnd ? line + end : line))
            .join('');
          const result = splitLines(cut(text, sizes));
          expect(result.lines).toEqual(lines.map(([line], i) => [i + 1, line]));
          expect(result.tooLong).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
