import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { BlobStoreError } from './blob-store.ts';
import type { Sha256Job } from './sha256-pool.ts';

export interface BlobWriterOptions {
  maxBytes: number;
  /** Size of one batch buffer: the unit of a message to the hash thread and of a file write. */
  slotBytes: number;
  /**
   * Batch buffers per upload (being filled, being hashed or being written): the bound on what one
   * upload holds in memory, and on how far ahead of the disk and the hash it reads.
   */
  slots: number;
  /**
   * Start writing back to the disk every this many bytes (fdatasync in the background, one at a
   * time), so the fsync at the end waits for the last part only. 0 = only at the end.
   */
  syncEveryBytes: number;
}

/**
 * The end of `DiskBlobStore.put`'s pipeline (docs/decisions/142): counts the bytes (refusing past
 * `maxBytes`), copies the incoming chunks into a few batch buffers of its own (`slots` ×
 * `slotBytes`), hands each full one to the hash thread (transferred: nothing can change it there),
 * and once it is back, unchanged, writes it at its position with one positional write on libuv's
 * pool; the buffer is then reused. Hashes run in order on the hash thread, writes in order one after
 * the other, so the hash of one batch overlaps the write of the one before. The incoming chunks are
 * not kept: they are garbage as soon as they are copied, which keeps the request's thread and the
 * garbage collector light. Memory per upload is bounded by the batch buffers: when none is free,
 * the stream stops accepting chunks (backpressure), whatever the upload's size. `final` waits for
 * every hash and write, then fsyncs the file: when the stream finishes, the bytes are durable and
 * `digest` is the SHA-256 of exactly the bytes written. On any failure the stream is destroyed with
 * it; `settled()` then tells when nothing touches the file any more (only then may it be closed).
 */
export class BlobWriter extends Writable {
  size = 0;
  digest: string | undefined;

  /** The batch being filled, and how much of it is. */
  private current: Uint8Array | undefined;
  private fill = 0;
  /** Free batch buffers (back from their hash and write), and how many were made (at most `slots`). */
  private readonly spare: ArrayBuffer[] = [];
  private made = 0;
  private position = 0;
  /** Bytes written, in order: what a write-back sync covers. */
  private written = 0;
  private syncedTo = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private finalSync: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** A chunk waiting for a batch buffer to come back. */
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly file: FileHandle,
    private readonly hash: Sha256Job,
    private readonly options: BlobWriterOptions,
  ) {
    super({ highWaterMark: options.slotBytes });
  }

  /** Resolves when no write, hash or sync of this writer is running any more (never rejects). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([this.writeChain, this.syncing, this.finalSync]);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    if (this.failure) {
      callback(this.failure);
      return;
    }
    this.size += chunk.length;
    if (this.size > this.options.maxBytes) {
      callback(new BlobStoreError('TOO_LARGE', `blob exceeds ${this.options.maxBytes} bytes`));
      return;
    }
    this.copyIn(chunk, 0, callback);
  }

  override _final(callback: (error?: Error | null) => void) {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    // After a clean finish the stream auto-destroys without an error: nothing to undo.
    if (error !== null || this.digest === undefined) this.fail(error ?? new Error('blob writer destroyed'));
    callback(error);
  }

  /**
   * Copies `chunk` from `offset` into the batches, sending each one that fills up. The common case
   * stays synchronous; without a free batch buffer it resumes when one comes back.
   */
  private copyIn(chunk: Buffer, offset: number, callback: (error?: Error | null) => void) {
    while (offset < chunk.length) {
      if (this.current === undefined) {
        const buffer = this.takeBuffer();
        if (buffer === undefined) {
          this.waiter = () => {
            if (this.failure) callback(this.failure);
            else this.copyIn(chunk, offset, callback);
          };
          return;
        }
        this.current = new Uint8Array(buffer);
        this.fill = 0;
      }
      const n = Math.min(chunk.length - offset, this.current.length - this.fill);
      this.current.set(n === chunk.length ? chunk : chunk.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      if (this.fill === this.current.length) this.send();
    }
    callback();
  }

  private takeBuffer(): ArrayBuffer | undefined {
    const spare = this.spare.pop();
    if (spare !== undefined) return spare;
    if (this.made >= this.options.slots) return undefined;
    this.made++;
    return new ArrayBuffer(this.options.slotBytes);
  }

  /** Has the current batch hashed, then written; its buffer is free again after both. */
  private send() {
    const batch = this.current;
    const length = this.fill;
    this.current = undefined;
    this.fill = 0;
    if (batch === undefined || length === 0) {
      if (batch !== undefined) this.spare.push(batch.buffer as ArrayBuffer);
      return;
    }
    const position = this.position;
    this.position += length;
    const done = this.hash
      .hash(batch.buffer as ArrayBuffer, length)
      .then((buffer) => {
        // Hashes come back in order; writes are chained in the same order.
        const written = this.writeChain.then(() => this.writeAt(buffer, length, position));
        this.writeChain = written.catch(() => undefined);
        return written.then(() => buffer);
      })
      .then(
        (buffer) => {
          this.inFlight.delete(done);
          this.written = position + length;
          this.spare.push(buffer);
          this.maybeSyncAhead();
          const waiter = this.waiter;
          this.waiter = undefined;
          waiter?.();
        },
        (err: unknown) => {
          this.inFlight.delete(done);
          this.fail(err instanceof Error ? err : new Error(String(err)));
          this.destroy(this.failure);
        },
      );
    this.inFlight.add(done);
  }

  private async writeAt(buffer: ArrayBuffer, length: number, position: number): Promise<void> {
    if (this.failure) throw this.failure;
    const bytes = new Uint8Array(buffer, 0, length);
    let done = 0;
    while (done < length) {
      // A short write (rare) goes on from where it stopped.
      const { bytesWritten } = await this.file.write(bytes, done, length - done, position + done);
      if (bytesWritten === 0) throw new Error('write made no progress');
      done += bytesWritten;
    }
  }

  /** Write-back of what is already written, while the rest is still arriving. */
  private maybeSyncAhead() {
    const every = this.options.syncEveryBytes;
    if (every <= 0 || this.syncing || this.failure || this.written - this.syncedTo < every) return;
    const upTo = this.written;
    this.syncing = this.file.datasync().then(
      () => {
        this.syncedTo = upTo;
        this.syncing = undefined;
      },
      (err: unknown) => {
        this.syncing = undefined;
        this.fail(err instanceof Error ? err : new Error(String(err)));
        this.destroy(this.failure);
      },
    );
  }

  private async finish(): Promise<void> {
    this.send();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    if (this.failure) throw this.failure;
    await this.syncing;
    if (this.failure) throw this.failure;
    this.finalSync = this.file.sync();
    const [digest] = await Promise.all([this.hash.digest(), this.finalSync]);
    this.digest = digest;
  }

  private fail(err: Error) {
    if (this.failure) return;
    this.failure = err;
    this.hash.drop();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
