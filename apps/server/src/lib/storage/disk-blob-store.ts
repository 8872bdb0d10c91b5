import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlignedSlotPool, directIoBlockBytes } from './aligned-slots.ts';
import {
  assertBlobKey,
  type BlobStat,
  type BlobStore,
  BlobStoreError,
  type ByteRange,
  isBlobKey,
  type PutOptions,
  type PutResult,
} from './blob-store.ts';
import { BlobWriter, type BlobWriterOptions } from './blob-writer.ts';
import { Sha256Pool } from './sha256-pool.ts';

const shardPattern = /^[0-9a-f]{2}$/;
const tempSuffix = '.part';

export interface DiskBlobStoreOptions {
  /** Where the SHA-256 is computed; by default one pool shared by every store of the process. */
  hasher?: Sha256Pool;
  slotBytes?: number;
  slots?: number;
  syncEveryBytes?: number;
  /**
   * Write blobs with direct I/O (O_DIRECT, docs/decisions/152) where the filesystem takes it:
   * `true` (default) probes the temp directory once and falls back to the page cache if it refuses;
   * `false` always writes through the page cache.
   */
  directIo?: boolean;
  /** Page-aligned batch buffers for direct I/O; by default one pool per process and slot size. */
  slotPool?: AlignedSlotPool;
}

/** Measured in docs/benchmarks-upload.md; see docs/decisions/140, 142 and 152 (2 MiB batches). */
export const defaultWriteOptions = {
  slotBytes: 2 * 1024 * 1024,
  slots: 4,
  syncEveryBytes: 32 * 1024 * 1024,
} as const;

/**
 * Direct I/O slots kept by the process at most, per slot size: 16 × 2 MiB by default, i.e. four
 * uploads with all four of their batches, or 16 with one each; further uploads go through the page
 * cache. Measured in docs/benchmarks-upload.md.
 */
export const defaultMaxDirectSlots = 16;

let sharedPool: Sha256Pool | undefined;
const sharedSlotPools = new Map<number, AlignedSlotPool>();

function sharedSlotPool(slotBytes: number): AlignedSlotPool {
  let pool = sharedSlotPools.get(slotBytes);
  if (pool === undefined) {
    pool = new AlignedSlotPool(slotBytes, defaultMaxDirectSlots);
    sharedSlotPools.set(slotBytes, pool);
  }
  return pool;
}

/** The process's hash threads, started at the first upload. */
export function sharedSha256Pool(): Sha256Pool {
  sharedPool ??= new Sha256Pool();
  return sharedPool;
}

/**
 * Blobs on the local filesystem: `<root>/aa/bb/<sha256>`, written through `<root>/tmp/` (same
 * filesystem, so the final step is a link, never a copy). See docs/decisions/060.
 */
export class DiskBlobStore implements BlobStore {
  readonly root: string;
  readonly tempDir: string;
  private readonly locks = new KeyedLock();
  private readonly hasher: Sha256Pool;
  private readonly writeOptions: Omit<BlobWriterOptions, 'maxBytes' | 'direct'>;
  private readonly slotPool: AlignedSlotPool | undefined;
  /** Whether the temp directory's filesystem takes O_DIRECT (probed at the first upload). */
  private directProbe: Promise<boolean> | undefined;

  constructor(root: string, options: DiskBlobStoreOptions = {}) {
    this.root = path.resolve(root);
    this.tempDir = path.join(this.root, 'tmp');
    this.hasher = options.hasher ?? sharedSha256Pool();
    this.writeOptions = {
      slotBytes: options.slotBytes ?? defaultWriteOptions.slotBytes,
      slots: options.slots ?? defaultWriteOptions.slots,
      syncEveryBytes: options.syncEveryBytes ?? defaultWriteOptions.syncEveryBytes,
    };
    if (!(this.writeOptions.slotBytes >= 1 && this.writeOptions.slots >= 1))
      throw new TypeError('slotBytes and slots must be at least 1');
    const directPossible =
      options.directIo !== false &&
      constants.O_DIRECT !== undefined &&
      this.writeOptions.slotBytes % directIoBlockBytes === 0;
    this.slotPool = directPossible
      ? (options.slotPool ?? sharedSlotPool(this.writeOptions.slotBytes))
      : undefined;
    if (this.slotPool && this.slotPool.slotBytes !== this.writeOptions.slotBytes)
      throw new RangeError('slotPool must hold slots of slotBytes');
  }

  /** Whether uploads are written with direct I/O here (false until the first upload probed it). */
  async usesDirectIo(): Promise<boolean> {
    if (this.slotPool === undefined) return false;
    this.directProbe ??= this.ensureDir(this.tempDir).then(() => this.probeDirectIo());
    return this.directProbe;
  }

  /**
   * One block written with O_DIRECT from a pool slot into a scratch file of the temp directory:
   * tmpfs refuses the open, some filesystems the write; either means the page cache.
   */
  private async probeDirectIo(): Promise<boolean> {
    const pool = this.slotPool;
    const slot = pool?.take();
    if (pool === undefined || slot === undefined) return false;
    const probe = path.join(this.tempDir, `direct-io-probe-${randomUUID()}${tempSuffix}`);
    try {
      const handle = await fs.open(probe, directFlags, 0o600);
      try {
        const { bytesWritten } = await handle.write(slot, 0, directIoBlockBytes, 0);
        return bytesWritten === directIoBlockBytes;
      } finally {
        await handle.close();
      }
    } catch {
      return false;
    } finally {
      pool.give(slot);
      await fs.rm(probe, { force: true });
    }
  }

  static inDataDir(dataDir: string, options: DiskBlobStoreOptions = {}): DiskBlobStore {
    return new DiskBlobStore(path.join(dataDir, 'blobs'), options);
  }

  async put(source: Readable, { maxBytes }: PutOptions): Promise<PutResult> {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      source.destroy();
      throw new TypeError('maxBytes must be a non-negative integer');
    }
    const tempPath = path.join(this.tempDir, `${Date.now()}-${randomUUID()}${tempSuffix}`);
    // Until pipeline() listens, a failing source must not become an uncaught exception;
    // pipeline() still sees the error (the source is then destroyed and errored).
    source.on('error', ignoreError);
    let file: FileHandle | undefined;
    let writer: BlobWriter | undefined;
    // Direct I/O when the filesystem takes it and the pool has a slot for this upload.
    let slot: Uint8Array<SharedArrayBuffer> | undefined;
    try {
      await this.ensureDir(this.tempDir);
      const pool = (await this.usesDirectIo()) ? this.slotPool : undefined;
      slot = pool?.take();
      // Exclusive creation: never reuse a name. Written only: the hash thread reads the batches.
      file = await fs.open(tempPath, slot ? directFlags : 'wx', 0o640);
      const direct = pool && slot ? { pool, first: slot } : undefined;
      writer = new BlobWriter(file, this.hasher.begin(), { maxBytes, ...this.writeOptions, direct });
      slot = undefined; // the writer gives it back
      // Resolves once every byte is written, hashed and fsynced (BlobWriter's final step).
      await pipeline(source, writer);
      const sha256 = writer.digest;
      if (sha256 === undefined) throw new Error('blob writer finished without a digest');
      const { size } = writer;
      await file.close();
      file = undefined;
      const finalPath = this.pathOf(sha256);
      const created = await this.locks.run(sha256, () => this.publish(tempPath, finalPath));
      return { key: sha256, sha256, size, created };
    } catch (err) {
      source.destroy();
      throw err;
    } finally {
      source.off('error', ignoreError);
      // Never close the file under a write still running on the thread pool.
      await writer?.settled();
      if (slot) this.slotPool?.give(slot);
      await file?.close().catch(ignoreError);
      await fs.rm(tempPath, { force: true });
    }
  }

  /**
   * link(2) refuses to replace an existing name, so of two concurrent writers of the same content
   * exactly one creates the blob and the other deduplicates; a reader never sees a partial file.
   */
  private async publish(tempPath: string, finalPath: string): Promise<boolean> {
    const dir = path.dirname(finalPath);
    await this.ensureDir(dir);
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.link(tempPath, finalPath);
        await fsyncDir(dir);
        return true;
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      try {
        // Restart the sweep's grace period: this content is about to be referenced again.
        const now = new Date();
        await fs.utimes(finalPath, now, now);
        return false;
      } catch (err) {
        // Deleted by another process between link and utimes: try to create it again.
        if (errorCode(err) !== 'ENOENT' || attempt >= 2) throw err;
      }
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') throw new BlobStoreError('NOT_FOUND', 'blob not found');
      throw err;
    }
    try {
      if (range === undefined) return handle.createReadStream();
      const { size } = await handle.stat();
      const { start } = range;
      const end = range.end ?? size - 1;
      if (
        !Number.isSafeInteger(start) ||
        !Number.isSafeInteger(end) ||
        start < 0 ||
        start >= size ||
        end < start
      ) {
        throw new BlobStoreError('INVALID_RANGE', 'range not satisfiable');
      }
      // As in HTTP, an end past the last byte means "to the end".
      return handle.createReadStream({ start, end: Math.min(end, size - 1) });
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    try {
      const st = await fs.stat(this.pathOf(key));
      return st.isFile() ? { key, size: st.size, modifiedAt: st.mtimeMs } : undefined;
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async delete(key: string, opts: { unmodifiedSince?: number } = {}): Promise<boolean> {
    const file = this.pathOf(key);
    return this.locks.run(key, async () => {
      try {
        if (opts.unmodifiedSince !== undefined) {
          const st = await fs.stat(file);
          if (st.mtimeMs > opts.unmodifiedSince) return false;
        }
        await fs.unlink(file);
        return true;
      } catch (err) {
        if (errorCode(err) === 'ENOENT') return false;
        throw err;
      }
    });
  }

  async *list(): AsyncIterable<string> {
    for (const first of await readDirNames(this.root)) {
      if (!shardPattern.test(first)) continue;
      for (const second of await readDirNames(path.join(this.root, first))) {
        if (!shardPattern.test(second)) continue;
        for (const name of await readDirNames(path.join(this.root, first, second))) {
          if (isBlobKey(name) && name.startsWith(first + second)) yield name;
        }
      }
    }
  }

  async cleanupTemp(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readDirNames(this.tempDir)) {
      if (!name.endsWith(tempSuffix)) continue;
      const file = path.join(this.tempDir, name);
      try {
        const st = await fs.stat(file);
        if (st.mtimeMs > cutoff) continue;
        await fs.unlink(file);
        removed++;
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw err;
      }
    }
    return removed;
  }

  /** The only way from a key to a path: the key is validated, so it cannot traverse. */
  private pathOf(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  /** mkdir -p, then fsync the parents of what was created so the new entries survive a crash. */
  private async ensureDir(dir: string): Promise<void> {
    const firstCreated = await fs.mkdir(dir, { recursive: true });
    if (firstCreated === undefined) return;
    let current = dir;
    const parents: string[] = [];
    while (current !== path.dirname(firstCreated)) {
      current = path.dirname(current);
      parents.push(current);
    }
    for (const parent of parents) await fsyncDir(parent);
  }
}

/** Create-only, write-only, straight to the disk (`constants.O_DIRECT` exists on Linux only). */
const directFlags =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_TRUNC | (constants.O_DIRECT ?? 0);

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readDirNames(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return [];
    throw err;
  }
}

function ignoreError() {}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Serialises publish and delete of one key within this process (the sweep vs a deduplicating put). */
class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
