import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { BlobStoreError } from './blob-store.ts';
import type { Sha256Job } from './sha256-pool.ts';

export interface BlobWriterOptions {
  maxBytes: number;
  /** Size of one buffer: the unit of a file write and of a hash message. */
  slotBytes: number;
  /** Buffers per write: the bound on what one upload holds in memory, and on how far ahead it reads. */
  slots: number;
  /**
   * Start writing back to the disk every this many bytes (fdatasync in the background, one at a
   * time), so the fsync at the end waits for the last part only. 0 = only at the end.
   */
  syncEveryBytes: number;
}

/**
 * Spare buffers kept between uploads, per size: SharedArrayBuffers, so the hash thread reads the
 * very bytes the file write reads. Bounded, so idle memory stays small.
 */
const spareSlots = new Map<number, SharedArrayBuffer[]>();
const maxSpareSlots = 16;

function takeSlot(size: number): SharedArrayBuffer {
  return spareSlots.get(size)?.pop() ?? new SharedArrayBuffer(size);
}

function giveSlot(slot: SharedArrayBuffer) {
  let spares = spareSlots.get(slot.byteLength);
  if (spares === undefined) {
    spares = [];
    spareSlots.set(slot.byteLength, spares);
  }
  if (spares.length < maxSpareSlots) spares.push(slot);
}

/**
 * The end of `DiskBlobStore.put`'s pipeline: counts the bytes (refusing past `maxBytes`), copies
 * them into a few shared buffers, and hands each full buffer at once to the file (positional
 * writes, one at a time, in order) and to the hash thread. A buffer is reused only when both are
 * done with it, so memory is bounded by `slots × slotBytes` and a slow disk or a slow hash slows
 * the reading down (backpressure), whatever the upload's size. `final` waits for every write and
 * hash, then fsyncs the file: when the stream finishes, the bytes are durable and `digest` is set.
 * On any failure the stream is destroyed with it; `settled()` then tells when nothing touches the
 * file any more (only then may it be closed).
 */
export class BlobWriter extends Writable {
  size = 0;
  digest: string | undefined;

  private readonly free: SharedArrayBuffer[] = [];
  private allocated = 0;
  private current: SharedArrayBuffer | undefined;
  private filled = 0;
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

  /** Resolves when no write or sync of this writer is running any more (never rejects). */
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
    // The common case stays synchronous: the chunk fits in buffers already at hand.
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current === undefined) {
        const slot = this.acquire();
        if (slot === undefined) {
          this.copyLater(chunk, offset).then(() => callback(), callback);
          return;
        }
        this.current = slot;
      }
      offset += this.copyIn(chunk, offset);
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void) {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    // After a clean finish the stream auto-destroys without an error: nothing to undo.
    if (error !== null || this.digest === undefined) this.fail(error ?? new Error('blob writer destroyed'));
    callback(error);
  }

  private async copyLater(chunk: Buffer, from: number): Promise<void> {
    let offset = from;
    while (offset < chunk.length) {
      if (this.current === undefined) this.current = this.acquire() ?? (await this.slotFreed());
      if (this.failure) throw this.failure;
      offset += this.copyIn(chunk, offset);
    }
  }

  /** Copies what fits of `chunk` (from `offset`) into the current buffer; sends the buffer when full. */
  private copyIn(chunk: Buffer, offset: number): number {
    const slot = this.current as SharedArrayBuffer;
    const n = Math.min(chunk.length - offset, slot.byteLength - this.filled);
    new Uint8Array(slot, this.filled, n).set(chunk.subarray(offset, offset + n));
    this.filled += n;
    if (this.filled === slot.byteLength) this.send();
    return n;
  }

  private acquire(): SharedArrayBuffer | undefined {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    if (this.allocated >= this.options.slots) return undefined;
    this.allocated++;
    return takeSlot(this.options.slotBytes);
  }

  private slotFreed(): Promise<SharedArrayBuffer> {
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
    }).then(() => {
      const slot = this.acquire();
      if (slot === undefined) throw new Error('no buffer after one was freed');
      return slot;
    });
  }

  /** Hands the current buffer to the file and to the hash thread; it comes back when both are done. */
  private send() {
    const slot = this.current;
    const length = this.filled;
    this.current = undefined;
    this.filled = 0;
    if (slot === undefined || length === 0) {
      if (slot !== undefined) this.free.push(slot);
      return;
    }
    const position = this.position;
    this.position += length;
    const written = this.writeChain.then(() => this.writeAt(slot, length, position));
    this.writeChain = written;
    const hashed = this.hash.update(slot, length);
    const done = Promise.all([written, hashed]).then(
      () => {
        this.inFlight.delete(done);
        this.written += length;
        this.maybeSyncAhead();
        this.free.push(slot);
        const waiter = this.waiter;
        this.waiter = undefined;
        waiter?.resolve();
      },
      (err: unknown) => {
        this.inFlight.delete(done);
        // A failed buffer is not reused: nothing tells whether the other side still reads it.
        this.fail(err instanceof Error ? err : new Error(String(err)));
        this.destroy(this.failure);
      },
    );
    this.inFlight.add(done);
  }

  private async writeAt(slot: SharedArrayBuffer, length: number, position: number): Promise<void> {
    if (this.failure) throw this.failure;
    const bytes = new Uint8Array(slot, 0, length);
    let done = 0;
    while (done < length) {
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
    if (this.current !== undefined) this.send();
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

  /** Buffers go back to the shared spares only after a clean finish. */
  recycle() {
    if (this.failure || this.inFlight.size > 0) return;
    for (const slot of this.free) giveSlot(slot);
    this.free.length = 0;
  }
}
