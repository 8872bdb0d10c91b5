import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { type AlignedSlotPool, directIoBlockBytes } from './aligned-slots.ts';
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
  /**
   * Direct I/O (docs/decisions/152): the file is open with O_DIRECT, so the bytes go from the batch
   * buffers to the disk without the page cache. The batches are then page-aligned slots of `pool`
   * (`first` already taken for this writer, the others taken when free, given back by `settled()`),
   * each is hashed in place while it is written, whole blocks are written (the last one padded with
   * zeros) and the file is cut to its size before the fsync. `syncEveryBytes` does not apply.
   */
  direct?: { pool: AlignedSlotPool; first: Uint8Array<SharedArrayBuffer> };
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
 * With `direct`, the batches are shared slots hashed in place and written at the same time (both
 * only read them), straight to the disk (docs/decisions/152).
 */
export class BlobWriter extends Writable {
  size = 0;
  digest: string | undefined;

  /** The batch being filled, and how much of it is. */
  private current: Buffer | undefined;
  private fill = 0;
  /** Free batch buffers (back from their hash and write), and how many were made (at most `slots`). */
  private readonly spare: Buffer[] = [];
  private made = 0;
  /** Direct I/O: every slot taken from the pool, given back once by `settled()`. */
  private readonly owned: Uint8Array<SharedArrayBuffer>[] = [];
  private released = false;
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
    if (options.direct) {
      if (
        options.direct.first.byteLength !== options.slotBytes ||
        options.slotBytes % directIoBlockBytes !== 0
      )
        throw new RangeError(`direct I/O takes slots of slotBytes, a multiple of ${directIoBlockBytes}`);
      this.owned.push(options.direct.first);
      this.spare.push(slotBytes(options.direct.first));
      this.made = 1;
    }
  }

  /**
   * Resolves when no write, hash or sync of this writer is running any more (never rejects); with
   * direct I/O, its slots are then back in their pool.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([this.writeChain, this.syncing, this.finalSync]);
    const pool = this.options.direct?.pool;
    if (pool && !this.released) {
      this.released = true;
      for (const slot of this.owned) pool.give(slot);
      this.owned.length = 0;
      this.spare.length = 0;
    }
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
        this.current = buffer;
        this.fill = 0;
      }
      const n = Math.min(chunk.length - offset, this.current.length - this.fill);
      // Not `set`: into a SharedArrayBuffer, V8 copies word by word (it must assume another thread
      // may read), which measured 0.3 s per GiB on fresh socket chunks; Buffer#fill with a buffer
      // of exactly the range's length is one memcpy (docs/decisions/152).
      this.current.fill(
        n === chunk.length ? chunk : chunk.subarray(offset, offset + n),
        this.fill,
        this.fill + n,
      );
      this.fill += n;
      offset += n;
      if (this.fill === this.current.length) this.send();
    }
    callback();
  }

  private takeBuffer(): Buffer | undefined {
    const spare = this.spare.pop();
    if (spare !== undefined) return spare;
    if (this.made >= this.options.slots || this.released) return undefined;
    const { direct } = this.options;
    if (direct) {
      // None free in the pool: go on with the slots this writer has.
      const slot = direct.pool.take();
      if (slot === undefined) return undefined;
      this.owned.push(slot);
      this.made++;
      return slotBytes(slot);
    }
    this.made++;
    // Its own ArrayBuffer (not Node's shared pool): it is transferred to the hash thread and back.
    return Buffer.allocUnsafeSlow(this.options.slotBytes);
  }

  /** Has the current batch hashed and written; its buffer is free again after both. */
  private send() {
    const batch = this.current;
    const length = this.fill;
    this.current = undefined;
    this.fill = 0;
    if (batch === undefined || length === 0) {
      if (batch !== undefined) this.spare.push(batch);
      return;
    }
    const position = this.position;
    this.position += length;
    const done = (
      this.options.direct
        ? this.hashAndWriteDirect(batch, length, position)
        : this.hashThenWrite(batch, length, position)
    ).then(
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

  /**
   * The batch's buffer goes to the hash thread (transferred: nothing can change it there) and, once
   * back, is written at its position; writes are chained in the order of the batches.
   */
  private hashThenWrite(batch: Buffer, length: number, position: number): Promise<Buffer> {
    return this.hash.hash(batch.buffer as ArrayBuffer, length).then((buffer) => {
      const back = Buffer.from(buffer);
      const written = this.chainWrite(back, length, position);
      return written.then(() => back);
    });
  }

  /**
   * Direct I/O: the hash thread reads the shared slot in place while the disk reads it too (neither
   * changes it); whole blocks are written, the tail of the last one zeroed (the file is cut to its
   * size at the end). Settles only once both are done, so the slot is never reused under either.
   */
  private hashAndWriteDirect(batch: Buffer, length: number, position: number): Promise<Buffer> {
    const blocks = Math.ceil(length / directIoBlockBytes) * directIoBlockBytes;
    if (blocks > length) batch.fill(0, length, blocks);
    const hashed = this.hash.update(batch.buffer as SharedArrayBuffer, length);
    const written = this.chainWrite(batch, blocks, position);
    return Promise.allSettled([hashed, written]).then(([h, w]) => {
      if (h.status === 'rejected') throw h.reason;
      if (w.status === 'rejected') throw w.reason;
      return batch;
    });
  }

  private chainWrite(bytes: Uint8Array, length: number, position: number): Promise<void> {
    const written = this.writeChain.then(() => this.writeAt(bytes, length, position));
    this.writeChain = written.catch(() => undefined);
    return written;
  }

  private async writeAt(bytes: Uint8Array, length: number, position: number): Promise<void> {
    if (this.failure) throw this.failure;
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
    if (
      every <= 0 ||
      this.options.direct ||
      this.syncing ||
      this.failure ||
      this.written - this.syncedTo < every
    )
      return;
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
    // Direct I/O wrote whole blocks: cut the padding off the last one.
    if (this.options.direct && this.size % directIoBlockBytes !== 0) await this.file.truncate(this.size);
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

/** A pool slot as a Buffer over the same memory: `fill` copies into it with one memcpy (copyIn). */
function slotBytes(slot: Uint8Array<SharedArrayBuffer>): Buffer {
  return Buffer.from(slot.buffer, slot.byteOffset, slot.byteLength);
}
