/**
 * Character encodings of real FEC exports: UTF-8 (with or without BOM) and the single-byte code
 * pages of French accounting software — Windows-1252, ISO-8859-15 and the DOS code page 850.
 *
 * The reader never decodes the whole file: separators, digits, dates and account numbers are
 * ASCII in every candidate encoding, so lines are parsed as bytes and only the few text values
 * that are kept (labels, offending values in the report) are decoded, once the encoding is known
 * at the end of the stream. That is why detection can look at every byte of the file instead of
 * guessing from the first kilobytes.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { FecEncoding } from './types.ts';

type SingleByteEncoding = Exclude<FecEncoding, 'utf-8'>;

/** Code points of bytes 0x80..0xFF, Latin-1 being the identity. */
const LATIN1_HIGH: readonly number[] = Array.from({ length: 128 }, (_, i) => 0x80 + i);

const WINDOWS_1252_HIGH: readonly number[] = (() => {
  const table = [...LATIN1_HIGH];
  // 0x80..0x9F: typographic characters where Latin-1 has C1 controls; 0x81, 0x8D, 0x8F, 0x90
  // and 0x9D are unassigned and kept as C1 controls, like the WHATWG decoder does.
  const specials = [
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
    0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
    0x153, 0x9d, 0x17e, 0x178,
  ];
  specials.forEach((codePoint, i) => {
    table[i] = codePoint;
  });
  return table;
})();

const ISO_8859_15_HIGH: readonly number[] = (() => {
  const table = [...LATIN1_HIGH];
  // ISO-8859-15 is Latin-1 with eight replacements, notably the euro sign and œ.
  const replacements: Array<[number, number]> = [
    [0xa4, 0x20ac],
    [0xa6, 0x160],
    [0xa8, 0x161],
    [0xb4, 0x17d],
    [0xb8, 0x17e],
    [0xbc, 0x152],
    [0xbd, 0x153],
    [0xbe, 0x178],
  ];
  for (const [byte, codePoint] of replacements) table[byte - 0x80] = codePoint;
  return table;
})();

const CP850_HIGH: readonly number[] = Array.from(
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐' +
    '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0',
  (char) => char.codePointAt(0) ?? 0xfffd,
);

const HIGH_TABLES: Record<SingleByteEncoding, readonly number[]> = {
  'windows-1252': WINDOWS_1252_HIGH,
  'iso-8859-15': ISO_8859_15_HIGH,
  cp850: CP850_HIGH,
};

/** Code points of bytes 0x80..0xFF in a single-byte encoding (index 0 is byte 0x80). */
export function highByteTable(encoding: SingleByteEncoding): readonly number[] {
  return HIGH_TABLES[encoding];
}

export function decodeBytes(bytes: Uint8Array, encoding: FecEncoding): string {
  if (encoding === 'utf-8')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const table = HIGH_TABLES[encoding];
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte < 0x80 ? byte : (table[byte - 0x80] ?? 0xfffd));
  return text;
}

/** Letters of French words; which code page turns the file's high bytes into these is the right one. */
const FRENCH_CHARACTERS = new Set('éèêëàâäçîïôöùûüÿœæÉÈÊËÀÂÄÇÎÏÔÖÙÛÜŸŒÆ°€’«»');

/** Points for a code point: French letters vote for the code page, controls and box drawing against. */
function plausibility(codePoint: number): number {
  if (FRENCH_CHARACTERS.has(String.fromCharCode(codePoint))) return 2;
  if (codePoint < 0xa0) return -2; // C1 control: never in text
  if (codePoint >= 0x2500 && codePoint <= 0x25ff) return -1; // box drawing, blocks
  return 0;
}

/** Stop counting high bytes after this many: the vote is long decided. */
const HIGH_BYTE_SAMPLE = 1 << 20;

/**
 * Watches every chunk of the file and tells its encoding at the end. Pure-ASCII chunks (most of a
 * FEC) cost one native `isAscii` call; UTF-8 validity is checked natively across chunk boundaries.
 */
export class EncodingSniffer {
  private utf8Valid = true;
  /** Bytes of a UTF-8 sequence cut by the end of the previous chunk. */
  private pendingSequence: Buffer | null = null;
  private readonly highByteCounts = new Float64Array(128);
  private highBytesCounted = 0;
  private nonAscii = false;

  observe(chunk: Buffer): void {
    if (this.pendingSequence === null && isAscii(chunk)) return;
    this.nonAscii = true;
    if (this.utf8Valid) this.checkUtf8(chunk);
    if (!this.utf8Valid && this.highBytesCounted < HIGH_BYTE_SAMPLE) this.countHighBytes(chunk);
  }

  /** The encoding, once the whole file was observed. */
  detect(hasBom: boolean): FecEncoding {
    if (hasBom || !this.nonAscii) return 'utf-8';
    if (this.utf8Valid && this.pendingSequence === null) return 'utf-8';
    return this.detectSingleByte();
  }

  private checkUtf8(chunk: Buffer): void {
    let body = chunk;
    if (this.pendingSequence !== null) {
      const pending = this.pendingSequence;
      this.pendingSequence = null;
      const missing = utf8SequenceLength(pending[0] ?? 0) - pending.length;
      if (missing <= 0) {
        this.utf8Valid = false;
        return;
      }
      if (chunk.length < missing) {
        // A tiny chunk: the sequence is still incomplete.
        this.pendingSequence = Buffer.concat([pending, chunk]);
        return;
      }
      if (!isUtf8(Buffer.concat([pending, chunk.subarray(0, missing)]))) {
        this.utf8Valid = false;
        return;
      }
      body = chunk.subarray(missing);
    }
    const boundary = completeSequencesEnd(body);
    if (!isUtf8(body.subarray(0, boundary))) {
      this.utf8Valid = false;
      return;
    }
    if (boundary < body.length) this.pendingSequence = Buffer.from(body.subarray(boundary));
  }

  private countHighBytes(chunk: Buffer): void {
    const counts = this.highByteCounts;
    let counted = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte >= 0x80) {
        counts[byte - 0x80] = (counts[byte - 0x80] as number) + 1;
        counted++;
      }
    }
    this.highBytesCounted += counted;
  }

  private detectSingleByte(): FecEncoding {
    const score = (table: readonly number[]) =>
      table.reduce(
        (sum, codePoint, i) => sum + (this.highByteCounts[i] as number) * plausibility(codePoint),
        0,
      );
    const seen = (byte: number) => (this.highByteCounts[byte - 0x80] as number) > 0;
    if (score(CP850_HIGH) > score(WINDOWS_1252_HIGH)) return 'cp850';
    // Windows-1252 and ISO-8859-15 agree on accented letters. Bytes 0x80..0x9F are text only in
    // Windows-1252; the eight ISO-8859-15 replacements (€, œ…) only make sense in ISO-8859-15.
    let c1Range = false;
    for (let byte = 0x80; byte <= 0x9f; byte++) c1Range ||= seen(byte);
    if (c1Range) return 'windows-1252';
    const iso885915Only = [0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe].some(seen);
    return iso885915Only ? 'iso-8859-15' : 'windows-1252';
  }
}

function utf8SequenceLength(leadByte: number): number {
  if (leadByte >= 0xc2 && leadByte <= 0xdf) return 2;
  if (leadByte >= 0xe0 && leadByte <= 0xef) return 3;
  if (leadByte >= 0xf0 && leadByte <= 0xf4) return 4;
  return 0;
}

/** Index just after the last complete UTF-8 sequence, so a sequence cut by the chunk end waits for the next chunk. */
function completeSequencesEnd(bytes: Buffer): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back] as number;
    if (byte < 0x80) return length;
    if (byte >= 0xc0) return utf8SequenceLength(byte) > back ? length - back : length;
  }
  return length;
}
