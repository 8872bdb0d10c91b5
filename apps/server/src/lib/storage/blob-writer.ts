import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { BlobStoreError } from './blob-store.ts';
import type { Sha256Job } from './sha256-pool.ts';

export interface BlobWriterOptions {
  maxBytes: number;
  /** Size of one batch: the unit of a file write and of a hash message. */
  slotBytes: number;
  /**
   * Batches in flight (written but not yet hashed, or being written): the bound on what one upload
   * holds in memory, and on how far ahead of the disk and the hash it reads.
   */
  slots: number;
  /**
   * Start writing back to the disk every this many bytes (fdatasync in the background, one at a
   * time), so the fsync at the end waits for the last part only. 0 = only at the end.
   */
  syncEveryBytes: number;
}

/**
 * The end of `DiskBlobStore.put`'s pipeline: counts the bytes (refusing past `maxBytes`), gathers
 * the incoming chunks as they are (no copy) into batches of exactly `slotBytes`, writes each batch
 * with one positional `writev` (one at a time, in order), and once a batch is written asks the hash
 * thread to hash that range of the file, read back from the page cache on its own thread
 * (docs/decisions/141). Memory is bounded by `slots × slotBytes` of chunks not yet hashed: a slow
 * disk or a slow hash slows the reading down (backpressure), whatever the upload's size. `final`
 * waits for every write and hash, then fsyncs the file: when the stream finishes, the bytes are
 * durable and `digest` is set. On any failure the stream is destroyed with it; `settled()` then
 * tells when nothing touches the file any more (only then may it be closed).
 * The file must be open for reading and writing.
 */
export class BlobWriter extends Writable {
  size = 0;
  digest: string | undefined;

  private batch: Buffer[] = [];
  private batchBytes = 0;
  /** Bytes handed to a write whose hash has not answered yet. */
  private unhashed = 0;
  private position = 0;
  private written = 0;
  private syncedTo = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private finalSync: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private waiter: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly file: FileHandle,
    private readonly hash: Sha256Job,
    private readonly options: BlobWriterOptions,
  ) {
    super({ highWaterMark: options.slotBytes });
  }

  /** Resolves when no write, hash read or sync of this writer is running any more (never rejects). */
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
    const { slotBytes } = this.options;
    let offset = 0;
    while (offset < chunk.length) {
      // Views, not copies: a batch ends exactly at slotBytes.
      const n = Math.min(chunk.length - offset, slotBytes - this.batchBytes);
      this.batch.push(offset === 0 && n === chunk.length ? chunk : chunk.subarray(offset, offset + n));
      this.batchBytes += n;
      offset += n;
      if (this.batchBytes === slotBytes) this.send();
    }
    // The common case stays synchronous: the batches in flight are within bounds.
    if (this.unhashed < this.options.slots * slotBytes) callback();
    else this.room().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void) {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    // After a clean finish the stream auto-destroys without an error: nothing to undo.
    if (error !== null || this.digest === undefined) this.fail(error ?? new Error('blob writer destroyed'));
    callback(error);
  }

  /** Resolves once the batches in flight are below the bound again. */
  private async room(): Promise<void> {
    while (this.unhashed >= this.options.slots * this.options.slotBytes) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }
    if (this.failure) throw this.failure;
  }

  /** Writes the current batch, then has the hash thread read it back; wakes `room()` when hashed. */
  private send() {
    const buffers = this.batch;
    const length = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (length === 0) return;
    const position = this.position;
    this.position += length;
    this.unhashed += length;
    const written = this.writeChain.then(() => this.writeAt(buffers, length, position));
    this.writeChain = written;
    // Writes finish in order, so the hash thread is asked for the ranges in order.
    const done = written
      .then(() => {
        this.written += length;
        this.maybeSyncAhead();
        return this.hash.updateFromFile(this.file.fd, position, length);
      })
      .then(
        () => {
          this.inFlight.delete(done);
          this.unhashed -= length;
          const waiter = this.waiter;
          this.waiter = undefined;
          waiter?.resolve();
        },
        (err: unknown) => {
          this.inFlight.delete(done);
          this.fail(err instanceof Error ? err : new Error(String(err)));
          this.destroy(this.failure);
        },
      );
    this.inFlight.add(done);
  }

  private async writeAt(buffers: Buffer[], length: number, position: number): Promise<void> {
    if (this.failure) throw this.failure;
    const { bytesWritten } = await this.file.writev(buffers, position);
    if (bytesWritten === length) return;
    // A short write (rare): the rest, one positional write at a time.
    let done = bytesWritten;
    const rest = Buffer.concat(buffers, length);
    while (done < length) {
      const { bytesWritten: n } = await this.file.write(rest, done, length - done, position + done);
      if (n === 0) throw new Error('write made no progress');
      done += n;
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
    waiter?.reject(err);
  }
}
