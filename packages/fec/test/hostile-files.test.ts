/**
 * Hostile inputs: each is refused with a clear report, never a crash, never unbounded memory.
 */
import { describe, expect, it } from 'vitest';
import { formatReportFr, readFec } from '../src/index.ts';
import type { FecReport, IssueCode } from '../src/types.ts';
import { CLEAN_FORMAT, chunked, columnsOf, fecText, simpleLines } from './support/fec-builder.ts';

const HEADER = columnsOf(CLEAN_FORMAT).join('\t');
const VALID_LINES = fecText(simpleLines(), CLEAN_FORMAT).split('\n').slice(1).join('\n');

const group = (report: FecReport, code: IssueCode) => report.issues.find((issue) => issue.code === code);

/** Deterministic pseudo-random bytes (xorshift), so a failure can be replayed. */
function pseudoRandomBytes(length: number, seed = 42): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

describe('hostile files', () => {
  it('refuses binary data, and says it is binary', async () => {
    const { report } = await readFec(chunked(pseudoRandomBytes(1 << 20)));
    expect(report.status).toBe('refused');
    expect(report.stoppedEarly).toBe(true);
    expect(group(report, 'BINARY_FILE')?.issues[0]?.message).toMatch(/données binaires/);
    expect(formatReportFr(report)).toMatch(/FICHIER REFUSÉ/);
  });

  it.each([
    ['PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1')],
    ['ZIP (XLSX, ODS, DOCX…)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x0a])],
  ])('names a %s uploaded instead of a FEC', async (format, bytes) => {
    const { report } = await readFec(chunked(bytes));
    expect(report.status).toBe('refused');
    expect(group(report, 'BINARY_FILE')?.issues[0]?.message).toContain(format);
  });

  it('refuses UTF-16 with a message saying how to save the file', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n`, 'utf16le')]);
    const { report } = await readFec(chunked(utf16));
    expect(group(report, 'UNSUPPORTED_ENCODING')?.issues[0]?.message).toMatch(/UTF-16.*UTF-8/);
  });

  it('skips a 100 MB line without holding it in memory, and reads on after it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'A');
    const chunkCount = 1600; // 100 MiB
    const rssSamples: number[] = [];
    async function* hugeLine() {
      yield Buffer.from(`${HEADER}\n`);
      for (let i = 0; i < chunkCount; i++) {
        if (i % 100 === 0) rssSamples.push(process.memoryUsage().rss);
        yield chunk; // the same buffer each time: the test itself allocates nothing
      }
      yield Buffer.from(`\n${VALID_LINES}\n`);
    }
    const { report } = await readFec(hugeLine());

    expect(report.status).toBe('refused');
    const tooLong = group(report, 'LINE_TOO_LONG');
    expect(tooLong?.count).toBe(1);
    expect(tooLong?.issues[0]).toMatchObject({
      line: 2,
      message: 'La ligne dépasse 65 536 octets ; elle est ignorée.',
    });
    // The lines after the long one are read and numbered right.
    expect(report.lineCount).toBe(3);
    expect(report.totals).toEqual({ debitCents: 12000, creditCents: 12000, balanced: true });
    const growth = Math.max(...rssSamples) - (rssSamples[0] as number);
    expect(growth).toBeLessThan(50 * 1024 * 1024);
  });

  it('stops at once when the first line is 100 MB long', async () => {
    let pulled = 0;
    async function* hugeFirstLine() {
      const chunk = Buffer.alloc(64 * 1024, 'A');
      for (let i = 0; i < 1600; i++) {
        pulled++;
        yield chunk;
      }
    }
    const { report } = await readFec(hugeFirstLine());
    expect(report.status).toBe('refused');
    expect(report.stoppedEarly).toBe(true);
    expect(group(report, 'LINE_TOO_LONG')?.issues[0]?.message).toMatch(/première ligne/);
    expect(pulled).toBeLessThan(5);
  });

  it('refuses a header of 10,000 columns with a clear report', async () => {
    // Short names: the header fits in the 64 KiB line cap, so the count is exact.
    const names = [...columnsOf(CLEAN_FORMAT), ...Array.from({ length: 9_982 }, (_, i) => `X${i}`)];
    const header = names.join('\t');
    expect(header.length).toBeLessThan(65_536);
    const { report } = await readFec(chunked(Buffer.from(`${header}\n${VALID_LINES}\n`)));
    expect(report.status).toBe('refused');
    expect(report.stoppedEarly).toBe(true);
    expect(group(report, 'TOO_MANY_COLUMNS')?.issues[0]?.message).toBe(
      "L'en-tête compte 10 000 colonnes, au-delà du maximum de 100 : le fichier est refusé.",
    );
  });

  it('says "too many columns" too when such a header exceeds the line cap', async () => {
    const names = [...columnsOf(CLEAN_FORMAT), ...Array.from({ length: 9_982 }, (_, i) => `Colonne${i}`)];
    const { report } = await readFec(chunked(Buffer.from(`${names.join('\t')}\n${VALID_LINES}\n`), [1000]));
    expect(report.status).toBe('refused');
    expect(group(report, 'LINE_TOO_LONG')).toBeUndefined();
    expect(group(report, 'TOO_MANY_COLUMNS')?.issues[0]?.message).toMatch(
      /^L'en-tête compte plus de [\d ]+ colonnes, au-delà du maximum de 100/,
    );
  });

  it('refuses data lines of 10,000 fields, counting them without splitting them all', async () => {
    const wide = `VE\t${Array.from({ length: 9_999 }, () => 'x').join('\t')}`;
    const text = `${HEADER}\n${Array.from({ length: 150 }, () => wide).join('\n')}\n${VALID_LINES}\n`;
    const { report } = await readFec(chunked(Buffer.from(text)));
    expect(report.status).toBe('refused');
    const fieldCount = group(report, 'FIELD_COUNT');
    expect(fieldCount?.count).toBe(150);
    expect(fieldCount?.issues).toHaveLength(100); // capped, the count stays exact
    expect(fieldCount?.issues[0]).toMatchObject({ line: 2 });
    expect(fieldCount?.issues[0]?.message).toMatch(/^plus de 19 champs au lieu de 18/);
    expect(report.lineCount).toBe(3);
  });

  it('refuses the impossible date 20231399, naming line, column and value', async () => {
    const text = fecText(simpleLines(), CLEAN_FORMAT).replace(/\t20230115\t70600000/, '\t20231399\t70600000');
    const { report, aggregates } = await readFec(chunked(Buffer.from(text)));
    expect(report.status).toBe('refused');
    const invalid = group(report, 'INVALID_DATE');
    expect(invalid?.count).toBe(1);
    expect(invalid?.issues[0]).toMatchObject({ line: 3, column: 'EcritureDate', value: '20231399' });
    expect(invalid?.issues[0]?.message).toBe(
      "EcritureDate « 20231399 » n'est pas une date valide au format AAAAMMJJ.",
    );
    expect(formatReportFr(report)).toContain('ligne 3 : EcritureDate « 20231399 »');
    // The amounts still count in the balance checks (no cascade), not in the aggregates.
    expect(group(report, 'UNBALANCED_ENTRY')).toBeUndefined();
    expect(aggregates.some((row) => row.account === '70600000')).toBe(false);
  });

  it('refuses amounts beyond the accepted range and cumulated totals beyond exact integers', async () => {
    const huge = fecText(simpleLines(), CLEAN_FORMAT).replace('\t120,00\t', '\t99999999999999999,00\t');
    const { report } = await readFec(chunked(Buffer.from(huge)));
    expect(group(report, 'INVALID_AMOUNT')?.issues[0]?.message).toMatch(/dépasse le montant maximal/);

    const line =
      'VE\tVentes\t1\t20230115\t41100000\tClients\t\t\tP1\t20230115\tFacture\t9999999999999,99\t0,00\t\t\t20230115\t\t';
    const many = `${HEADER}\n${Array.from({ length: 20 }, () => line).join('\n')}\n`;
    const overflow = await readFec(chunked(Buffer.from(many)));
    expect(overflow.report.status).toBe('refused');
    expect(group(overflow.report, 'LIMIT_EXCEEDED')?.issues[0]?.message).toMatch(/cumul des montants/);
  });

  it('refuses a file with millions of distinct accounts before memory grows', async () => {
    async function* manyAccounts() {
      yield Buffer.from(`${HEADER}\n`);
      for (let i = 0; i < 300; i++) {
        yield Buffer.from(
          `VE\tVentes\t${i}\t20230115\t411${i}\tClients\t\t\tP\t20230115\tF\t1,00\t0,00\t\t\t20230115\t\t\n`,
        );
      }
    }
    const { report } = await readFec(manyAccounts(), { maxAccounts: 100 });
    expect(report.status).toBe('refused');
    expect(report.stoppedEarly).toBe(true);
    expect(group(report, 'LIMIT_EXCEEDED')?.issues[0]?.line).toBe(102);
  });

  it('refuses a file with thousands of journal codes', async () => {
    async function* manyJournals() {
      yield Buffer.from(`${HEADER}\n`);
      for (let i = 0; i < 10_050; i++) {
        yield Buffer.from(
          `J${i}\tJournal\t1\t2023011x\t411000\tClients\t\t\tP\t20230115\tF\t0,00\t0,00\t\t\t20230115\t\t\n`,
        );
      }
    }
    const { report } = await readFec(manyJournals());
    expect(report.stoppedEarly).toBe(true);
    expect(group(report, 'LIMIT_EXCEEDED')?.issues[0]?.message).toMatch(/codes journal/);
    expect(report.journals).toHaveLength(10_000);
  });

  it('refuses an empty file and a header without lines', async () => {
    expect(group((await readFec(chunked(Buffer.alloc(0)))).report, 'EMPTY_FILE')?.count).toBe(1);
    const headerOnly = await readFec(chunked(Buffer.from(`${HEADER}\n`)));
    expect(headerOnly.report.status).toBe('refused');
    expect(group(headerOnly.report, 'NO_ENTRIES')?.count).toBe(1);
  });
});
