/**
 * Splits a byte stream into lines without decoding it and without ever holding more than one
 * line (at most `maxLineBytes`) in memory.
 *
 * Line ends seen in real exports: LF, CRLF, CR alone (old Mac software) and CR CR LF (a CRLF file
 * converted once more). A run of CRs optionally followed by LF is one line end, so CR CR LF is
 * not read as an extra blank line. The price: in a CR-only file, blank lines collapse and the
 * line numbers after them shift; blank lines carry nothing, so this is accepted.
 *
 * A line longer than `maxLineBytes` is reported once and skipped up to its end, whatever its size:
 * a 100 MB line costs a scan, never 100 MB of memory.
 */
import type { LineEnding } from './types.ts';

const LF = 0x0a;
const CR = 0x0d;

export interface LineHandler {
  /**
   * One complete line, without its line end, as `bytes[start, end)`. The bytes are only valid
   * during the call. Return false to stop reading.
   */
  onLine(bytes: Buffer, start: number, end: number, lineNumber: number): boolean;
  /**
   * A line exceeded the cap; it will not be delivered, only its first `maxLineBytes` bytes
   * (valid during the call). Return false to stop reading.
   */
  onLineTooLong(lineNumber: number, prefix: Buffer): boolean;
}

export class LineSplitter {
  private readonly carry: Buffer;
  private carryLength = 0;
  /** Inside a too-long line, discarding bytes until its end. */
  private skipping = false;
  /** CRs seen at the end of the previous line (0 when it ended with LF). */
  private crRun = 0;
  /** Whether a line end is being consumed (a CR may still be followed by more CRs and a LF). */
  private inLineEnd = false;
  private lineNumber = 0;
  private stopped = false;
  private readonly lineEndCounts = { LF: 0, CRLF: 0, CR: 0, CRCRLF: 0 };

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes: number,
  ) {
    this.carry = Buffer.allocUnsafe(maxLineBytes);
  }

  get linesRead(): number {
    return this.lineNumber;
  }

  /** Feeds a chunk. Returns false once the handler asked to stop. */
  push(chunk: Buffer): boolean {
    if (this.stopped) return false;
    let position = 0;
    const length = chunk.length;
    // Searching for CR on every line would rescan the whole chunk in a LF-only file: remember
    // where the next one is and search again only after passing it.
    let nextCr = -2;
    let nextLf = -2;
    while (position < length) {
      if (this.inLineEnd) {
        const byte = chunk[position];
        if (byte === CR) {
          this.crRun++;
          position++;
          continue;
        }
        this.recordLineEnd(byte === LF);
        this.inLineEnd = false;
        if (byte === LF) {
          position++;
          continue;
        }
      }
      if (nextCr !== -1 && nextCr < position) nextCr = chunk.indexOf(CR, position);
      if (nextLf !== -1 && nextLf < position) nextLf = chunk.indexOf(LF, position);
      const lineEnd = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (lineEnd === -1) {
        this.keepPartialLine(chunk, position, length);
        break;
      }
      if (!this.completeLine(chunk, position, lineEnd)) {
        this.stopped = true;
        return false;
      }
      if (chunk[lineEnd] === CR) {
        this.inLineEnd = true;
        this.crRun = 1;
      } else {
        this.lineEndCounts.LF++;
      }
      position = lineEnd + 1;
    }
    return !this.stopped;
  }

  /** Flushes the last line when the file does not end with a line end. */
  end(): void {
    if (this.stopped) return;
    if (this.inLineEnd) this.recordLineEnd(false);
    this.inLineEnd = false;
    if (this.skipping) {
      this.skipping = false;
      this.lineNumber++;
      return;
    }
    if (this.carryLength > 0) {
      this.lineNumber++;
      const carried = this.carryLength;
      this.carryLength = 0;
      this.handler.onLine(this.carry, 0, carried, this.lineNumber);
    }
  }

  /** The line end style: the only one used, `mixed`, or `none` for a single line. */
  lineEnding(): LineEnding {
    const used = (Object.keys(this.lineEndCounts) as Array<keyof typeof this.lineEndCounts>).filter(
      (kind) => this.lineEndCounts[kind] > 0,
    );
    if (used.length === 0) return 'none';
    if (used.length > 1) return 'mixed';
    return used[0] as LineEnding;
  }

  private recordLineEnd(followedByLf: boolean): void {
    if (!followedByLf) this.lineEndCounts.CR++;
    else if (this.crRun === 1) this.lineEndCounts.CRLF++;
    else this.lineEndCounts.CRCRLF++;
    this.crRun = 0;
  }

  private completeLine(chunk: Buffer, start: number, end: number): boolean {
    this.lineNumber++;
    if (this.skipping) {
      this.skipping = false;
      return true;
    }
    if (this.carryLength === 0) {
      if (end - start > this.maxLineBytes) {
        return this.handler.onLineTooLong(this.lineNumber, chunk.subarray(start, start + this.maxLineBytes));
      }
      return this.handler.onLine(chunk, start, end, this.lineNumber);
    }
    if (this.carryLength + (end - start) > this.maxLineBytes) {
      return this.handler.onLineTooLong(this.lineNumber, this.fillCarry(chunk, start));
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    const carried = this.carryLength + (end - start);
    this.carryLength = 0;
    return this.handler.onLine(this.carry, 0, carried, this.lineNumber);
  }

  private keepPartialLine(chunk: Buffer, start: number, end: number): void {
    if (this.skipping) return;
    if (this.carryLength + (end - start) > this.maxLineBytes) {
      this.skipping = true;
      if (!this.handler.onLineTooLong(this.lineNumber + 1, this.fillCarry(chunk, start))) this.stopped = true;
      return;
    }
    chunk.copy(this.carry, this.carryLength, start, end);
    this.carryLength += end - start;
  }

  /** Completes the carry up to the cap with the chunk's bytes and empties it; returns the full carry. */
  private fillCarry(chunk: Buffer, start: number): Buffer {
    chunk.copy(this.carry, this.carryLength, start, start + (this.maxLineBytes - this.carryLength));
    this.carryLength = 0;
    return this.carry;
  }
}
