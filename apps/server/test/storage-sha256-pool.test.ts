import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlignedSlotPool } from '../src/lib/storage/aligned-slots.ts';
import { chunked, listAll, readAll, sha256 } from '../src/lib/storage/blob-store.contract.ts';
import {
  DiskBlobStore,
  type DiskBlobStoreOptions,
  defaultWriteOptions,
} from '../src/lib/storage/disk-blob-store.ts';
import { HashWorkerError, Sha256Pool } from '../src/lib/storage/sha256-pool.ts';

let dir: string;
const pools: Sha256Pool[] = [];
const repoTmp = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.tmp');
const teardowns: (() => Promise<unknown>)[] = [];
const onTeardown = (task: () => Promise<unknown>) => teardowns.push(task);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-sha256-pool-'));
  await fs.mkdir(repoTmp, { recursive: true });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(teardowns.splice(0).map((task) => task()));
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function pool(options: ConstructorParameters<typeof Sha256Pool>[0] = {}): Sha256Pool {
  const created = new Sha256Pool(options);
  pools.push(created);
  return created;
}

let stores = 0;
function store(options: DiskBlobStoreOptions): DiskBlobStore {
  return new DiskBlobStore(path.join(dir, `store-${stores++}`), options);
}

async function expectNothingStored(s: DiskBlobStore) {
  expect(await listAll(s)).toEqual([]);
  expect(await fs.readdir(s.tempDir).catch(() => [])).toEqual([]);
}

/**
 * A worker script that hashes like the real one, except on buffers starting with a marker byte:
 * 0xee exits, 0xef throws, 0xed never answers, 0xec reports a failure, 0xea is slow (20 ms per
 * buffer, then works).
 */
async function faultyWorker(): Promise<URL> {
  const file = path.join(dir, 'faulty-worker.mjs');
  await fs.writeFile(
    file,
    `
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
const hashes = new Map();
// Like the real worker: after reporting a failure, a job's queued buffers are ignored until the
// main thread drops it.
const failed = new Set();
parentPort.on('message', (m) => {
  if ((m.op === 'update' || m.op === 'hash') && failed.has(m.job)) return;
  if (m.op === 'update' || m.op === 'hash') {
    const bytes = new Uint8Array(m.buffer, 0, m.length);
    const first = bytes[0];
    if (first === 0xee) process.exit(3);
    if (first === 0xef) throw new Error('hash thread bug');
    if (first === 0xed) return; // never answers: a stuck hash
    if (first === 0xec) {
      failed.add(m.job);
      return parentPort.postMessage({ op: 'failed', job: m.job, message: 'bad bytes' });
    }
    if (first === 0xea) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    if (!hashes.has(m.job)) hashes.set(m.job, createHash('sha256'));
    hashes.get(m.job).update(bytes);
    if (m.op === 'hash') parentPort.postMessage({ op: 'hashed', job: m.job, seq: m.seq, buffer: m.buffer }, [m.buffer]);
    else parentPort.postMessage({ op: 'updated', job: m.job, seq: m.seq });
  } else if (m.op === 'digest') {
    const hash = hashes.get(m.job) ?? createHash('sha256');
    hashes.delete(m.job);
    parentPort.postMessage({ op: 'digest', job: m.job, hex: hash.digest('hex') });
  } else {
    hashes.delete(m.job);
    failed.delete(m.job);
  }
});
`,
  );
  return pathToFileURL(file);
}

/** `count` bytes, random, whose slot number `at` (of `slotBytes`) starts with `marker`. */
function markedContent(count: number, slotBytes: number, at: number, marker: number): Buffer {
  const content = randomBytes(count);
  // Only the chosen buffer starts with one of the faulty worker's markers (0xea–0xef).
  for (let i = 0; i < count; i += slotBytes) if ((content[i] as number) >= 0xea) content[i] = 0;
  content[at * slotBytes] = marker;
  return content;
}

async function sha256OfFile(file: string): Promise<string> {
  return sha256(await fs.readFile(file));
}

/** The prototype of the FileHandles the store writes through, to spy on. */
async function fileHandlePrototype() {
  const probe = await fs.open(path.join(dir, 'probe'), 'w');
  await probe.close();
  return Object.getPrototypeOf(probe) as {
    write: (...args: unknown[]) => Promise<{ bytesWritten: number }>;
    datasync: () => Promise<void>;
    sync: () => Promise<void>;
    truncate: (length?: number) => Promise<void>;
  };
}

describe('Sha256Pool', () => {
  it('gives the digest of createHash for any split of the bytes', async () => {
    const hasher = pool();
    const slot = new SharedArrayBuffer(4096);
    const view = new Uint8Array(slot);
    for (const size of [0, 1, 63, 64, 65, 4095, 4096, 4097, 100_000]) {
      const content = randomBytes(size);
      const job = hasher.begin();
      for (let offset = 0; offset < size; offset += 4096) {
        const part = content.subarray(offset, offset + 4096);
        view.set(part);
        await job.update(slot, part.length);
      }
      expect(await job.digest()).toBe(sha256(content));
    }
  });

  it('keeps interleaved jobs apart and starts threads only up to its bound', async () => {
    const hasher = pool({ maxWorkers: 2 });
    const contents = Array.from({ length: 5 }, () => randomBytes(50_000));
    const jobs = contents.map(() => hasher.begin());
    expect(hasher.size).toBe(2);
    const slots = contents.map(() => new SharedArrayBuffer(10_000));
    for (let offset = 0; offset < 50_000; offset += 10_000) {
      await Promise.all(
        contents.map((content, i) => {
          new Uint8Array(slots[i] as SharedArrayBuffer).set(content.subarray(offset, offset + 10_000));
          return jobs[i]?.update(slots[i] as SharedArrayBuffer, 10_000);
        }),
      );
    }
    expect(await Promise.all(jobs.map((job) => job.digest()))).toEqual(contents.map(sha256));
  });

  it('refuses bad arguments and a finished job', async () => {
    const hasher = pool();
    const job = hasher.begin();
    await expect(job.update(new ArrayBuffer(8) as unknown as SharedArrayBuffer, 8)).rejects.toThrow(
      TypeError,
    );
    await expect(job.update(new SharedArrayBuffer(8), 9)).rejects.toThrow(RangeError);
    await expect(job.update(new SharedArrayBuffer(8), -1)).rejects.toThrow(TypeError);
    expect(await job.digest()).toBe(sha256(Buffer.alloc(0)));
    await expect(job.update(new SharedArrayBuffer(8), 8)).rejects.toThrow(HashWorkerError);
    await expect(job.digest()).rejects.toThrow(HashWorkerError);
  });

  it('fails the jobs of a thread that dies, and the next job gets a new thread', async () => {
    const hasher = pool({ workerUrl: await faultyWorker() });
    const slot = new SharedArrayBuffer(16);
    const job = hasher.begin();
    new Uint8Array(slot)[0] = 0xee;
    await expect(job.update(slot, 16)).rejects.toThrow(HashWorkerError);
    await expect(job.digest()).rejects.toThrow(HashWorkerError);

    const next = hasher.begin();
    new Uint8Array(slot).set(Buffer.from('facture de mars'));
    await next.update(slot, 15);
    expect(await next.digest()).toBe(sha256(Buffer.from('facture de mars')));
  });

  it('reports a hash failed in the worker (real worker script) as a HashWorkerError', async () => {
    const hasher = pool();
    const job = hasher.begin();
    // A detached-looking message the real worker cannot hash: it answers 'failed', it does not die.
    const worker = (hasher as unknown as { threads: { worker: import('node:worker_threads').Worker }[] })
      .threads[0]?.worker;
    expect(worker).toBeDefined();
    const failed = new Promise((resolve) => worker?.once('message', resolve));
    worker?.postMessage({ op: 'bogus', job: 999_999 });
    expect(await failed).toMatchObject({ op: 'failed', job: 999_999 });
    // The thread is still alive and the job in progress is unaffected.
    const slot = new SharedArrayBuffer(4);
    new Uint8Array(slot).set([1, 2, 3, 4]);
    await job.update(slot, 4);
    expect(await job.digest()).toBe(sha256(Buffer.from([1, 2, 3, 4])));
  });
});

describe('Sha256Pool hashing buffers handed over to the thread', () => {
  it('hashes transferred buffers in order, as createHash does, and gives each back unchanged', async () => {
    const hasher = pool();
    const content = randomBytes(3 * 1024 * 1024 + 777);
    for (const step of [1, 4095, 65_537, 1024 * 1024, content.length]) {
      const part = step === 1 ? content.subarray(0, 3000) : content;
      const job = hasher.begin();
      const pending: Promise<ArrayBuffer>[] = [];
      for (let at = 0; at < part.length; at += step) {
        const length = Math.min(step, part.length - at);
        const buffer = new ArrayBuffer(step);
        new Uint8Array(buffer).set(part.subarray(at, at + length));
        // Sent before the previous ones came back: the thread takes them in the order given.
        pending.push(job.hash(buffer, length));
        expect(buffer.byteLength).toBe(0); // given away: detached here until it comes back
      }
      const back = await Promise.all(pending);
      expect(await job.digest()).toBe(sha256(part));
      for (const [i, buffer] of back.entries()) {
        expect(buffer.byteLength).toBe(step);
        const at = i * step;
        const length = Math.min(step, part.length - at);
        expect(Buffer.from(buffer, 0, length).equals(part.subarray(at, at + length))).toBe(true);
      }
    }
  });

  it('hashes an empty buffer as nothing, and refuses bad arguments', async () => {
    const hasher = pool();
    const job = hasher.begin();
    expect((await job.hash(new ArrayBuffer(16), 0)).byteLength).toBe(16);
    expect(await job.digest()).toBe(sha256(Buffer.alloc(0)));
    const other = hasher.begin();
    await expect(other.hash(new SharedArrayBuffer(8) as unknown as ArrayBuffer, 8)).rejects.toThrow(
      TypeError,
    );
    await expect(other.hash(new ArrayBuffer(8), -1)).rejects.toThrow(TypeError);
    await expect(other.hash(new ArrayBuffer(8), 9)).rejects.toThrow(RangeError);
    expect(await other.digest()).toBe(sha256(Buffer.alloc(0)));
  });
});

describe('DiskBlobStore with the worker hash', () => {
  const small = { slotBytes: 4096, slots: 2, syncEveryBytes: 16_384 };

  it('stores under the digest of createHash for sizes around the buffer boundaries and odd chunks', async () => {
    const s = store({ ...small, hasher: pool() });
    const sizes = [0, 1, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 4096, 50_001];
    for (let i = 0; i < 20; i++) sizes.push(Math.floor(Math.random() * 200_000));
    for (const size of sizes) {
      const content = randomBytes(size);
      const chunk = 1 + Math.floor(Math.random() * 9000);
      const result = await s.put(chunked(content, chunk), { maxBytes: size });
      expect(result.key).toBe(createHash('sha256').update(content).digest('hex'));
      expect(result.size).toBe(size);
      expect((await readAll(await s.get(result.key))).equals(content)).toBe(true);
    }
    expect(await fs.readdir(s.tempDir)).toEqual([]);
  });

  it('stores with the default buffers across their boundaries', async () => {
    const s = store({});
    const slot = defaultWriteOptions.slotBytes;
    for (const size of [slot - 1, slot, slot + 1, 4 * slot + 1, 9 * slot + 12_345]) {
      const content = randomBytes(size);
      const result = await s.put(chunked(content, 65_536), { maxBytes: size });
      expect(result.key).toBe(sha256(content));
      expect((await readAll(await s.get(result.key))).equals(content)).toBe(true);
    }
  });

  for (const [marker, how] of [
    [0xee, 'exits'],
    [0xef, 'throws'],
    [0xec, 'reports a failure'],
  ] as const) {
    it(`refuses the upload and stores nothing when the hash thread ${how} midway`, async () => {
      const hasher = pool({ workerUrl: await faultyWorker() });
      const s = store({ ...small, hasher });
      const content = markedContent(100_000, small.slotBytes, 5, marker);
      const source = chunked(content, 3000);
      await expect(s.put(source, { maxBytes: 1_000_000 })).rejects.toThrow(HashWorkerError);
      expect(source.destroyed).toBe(true);
      await expectNothingStored(s);
      // The store keeps working with a fresh thread.
      const fine = markedContent(20_000, small.slotBytes, 0, 0x41);
      expect((await s.put(chunked(fine, 3000), { maxBytes: 1_000_000 })).key).toBe(sha256(fine));
    });
  }

  it('stops reading while the hash is stuck (bounded memory), then refuses when the pool stops', async () => {
    const hasher = pool({ workerUrl: await faultyWorker() });
    const s = store({ ...small, hasher });
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1000;
        this.push(Buffer.alloc(1000, 0xed)); // every buffer starts with the "stuck" marker
      },
    });
    const pending = s.put(endless, { maxBytes: 1e12 });
    const outcome = pending.then(
      () => undefined,
      (err: unknown) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(produced).toBeGreaterThan(small.slots * small.slotBytes);
    // Two buffers held by the stuck hash, the writer's own queue (one buffer) and the source's.
    expect(produced).toBeLessThanOrEqual(small.slots * small.slotBytes + small.slotBytes + 16_384 + 2000);
    await hasher.close();
    expect(await outcome).toBeInstanceOf(HashWorkerError);
    expect(endless.destroyed).toBe(true);
    await expectNothingStored(s);
  });

  it('refuses when the pool is closed before the upload', async () => {
    const hasher = pool();
    await hasher.close();
    const s = store({ hasher });
    const source = Readable.from([Buffer.from('relevé')]);
    await expect(s.put(source, { maxBytes: 100 })).rejects.toThrow(HashWorkerError);
    expect(source.destroyed).toBe(true);
    await expectNothingStored(s);
  });

  it('refuses and stores nothing when a disk write fails, then works again', async () => {
    const s = store({ ...small, hasher: pool() });
    const prototype = await fileHandlePrototype();
    const original = prototype.write;
    let calls = 0;
    vi.spyOn(prototype, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++calls === 3) return Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      return original.apply(this, args);
    });
    await expect(s.put(chunked(randomBytes(100_000), 5000), { maxBytes: 1e6 })).rejects.toThrow('EIO');
    await expectNothingStored(s);
    const content = randomBytes(30_000);
    expect((await s.put(chunked(content, 5000), { maxBytes: 1e6 })).key).toBe(sha256(content));
  });

  it('writes whole batches of slotBytes in order, and leaves the incoming chunks untouched (page cache)', async () => {
    const write = vi.spyOn(await fileHandlePrototype(), 'write');
    const content = randomBytes(10 * 4096 + 100);
    const chunks = Array.from({ length: Math.ceil(content.length / 3000) }, (_, i) =>
      Buffer.from(content.subarray(i * 3000, (i + 1) * 3000)),
    );
    const s = store({ ...small, hasher: pool(), directIo: false });
    const { key } = await s.put(Readable.from(chunks), { maxBytes: 1e6 });
    expect(key).toBe(sha256(content));
    // write(bytes, offset, length, position): one whole batch per call, at consecutive positions.
    const batches = write.mock.calls.map(([, offset, length, position]) => [offset, length, position]);
    expect(batches).toEqual([...Array.from({ length: 10 }, (_, i) => [0, 4096, i * 4096]), [0, 100, 40_960]]);
    // Copied into the writer's own buffers: the caller's chunks are neither detached nor changed.
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    const file = path.join(s.root, key.slice(0, 2), key.slice(2, 4), key);
    expect(await sha256OfFile(file)).toBe(key);
  });

  it('writes with direct I/O where the filesystem takes it: whole blocks, the padding cut off', async () => {
    // In the project's own folder, on the disk that holds the data (the system's temp folder may
    // be a tmpfs, which refuses O_DIRECT: that fallback is the next test's).
    const onDisk = await fs.mkdtemp(path.join(repoTmp, 'direct-io-'));
    const s = new DiskBlobStore(path.join(onDisk, 'blobs'), {
      ...small,
      hasher: pool(),
      slotPool: new AlignedSlotPool(small.slotBytes, 8),
    });
    onTeardown(() => fs.rm(onDisk, { recursive: true, force: true }));
    expect(await s.usesDirectIo()).toBe(true);
    const prototype = await fileHandlePrototype();
    const write = vi.spyOn(prototype, 'write');
    const truncate = vi.spyOn(prototype, 'truncate');
    const datasync = vi.spyOn(prototype, 'datasync');
    const content = randomBytes(10 * 4096 + 100);
    const chunks = Array.from({ length: Math.ceil(content.length / 3000) }, (_, i) =>
      Buffer.from(content.subarray(i * 3000, (i + 1) * 3000)),
    );
    const { key, size } = await s.put(Readable.from(chunks), { maxBytes: 1e6 });
    expect(key).toBe(sha256(content));
    expect(size).toBe(content.length);
    const file = path.join(s.root, key.slice(0, 2), key.slice(2, 4), key);
    expect(await sha256OfFile(file)).toBe(key);
    expect((await fs.stat(file)).size).toBe(content.length);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    const batches = write.mock.calls.map(([, offset, length, position]) => [offset, length, position]);
    // The last batch (100 bytes) goes as one zero-padded block, then the file is cut to its size;
    // nothing is left dirty in the page cache, so there is no write-back.
    expect(batches).toEqual(Array.from({ length: 11 }, (_, i) => [0, 4096, i * 4096]));
    expect(truncate.mock.calls).toEqual([[content.length]]);
    expect(datasync).not.toHaveBeenCalled();
  });

  it('stores right whatever the direct I/O slots left: none, one, all given back after a failure', async () => {
    const sizes = [0, 1, 4095, 4096, 4097, 3 * 4096 + 7, 50_001];
    // No slot at all: the page cache, as on a filesystem that refuses O_DIRECT.
    const none = store({ ...small, hasher: pool(), slotPool: new AlignedSlotPool(small.slotBytes, 0) });
    expect(await none.usesDirectIo()).toBe(false);
    // One slot for an upload that would take two: it goes on with the one it has.
    const onePool = new AlignedSlotPool(small.slotBytes, 1);
    const one = store({ ...small, hasher: pool(), slotPool: onePool });
    for (const s of [none, one]) {
      for (const size of sizes) {
        const content = randomBytes(size);
        const result = await s.put(chunked(content, 1000), { maxBytes: size });
        expect(result.key).toBe(sha256(content));
        expect((await readAll(await s.get(result.key))).equals(content)).toBe(true);
      }
      expect(await fs.readdir(s.tempDir)).toEqual([]);
    }
    expect(onePool.size).toBeLessThanOrEqual(1);
    expect(onePool.available).toBe(1);
    // A refused upload (a hash thread that fails midway) gives its slots back too.
    const slotPool = new AlignedSlotPool(small.slotBytes, 4);
    const failing = store({ ...small, hasher: pool({ workerUrl: await faultyWorker() }), slotPool });
    const bad = markedContent(100_000, small.slotBytes, 5, 0xec);
    await expect(failing.put(chunked(bad, 3000), { maxBytes: 1e6 })).rejects.toThrow(HashWorkerError);
    await expectNothingStored(failing);
    expect(slotPool.available).toBe(4);
  });

  it('hashes exactly what the file holds, for chunk patterns across batch boundaries', async () => {
    const s = store({ ...small, hasher: pool() });
    // Chunks smaller than, equal to, larger than a batch; one byte at a time; a batch plus one.
    const patterns = [[1], [4095, 1, 4096, 4097], [8192 * 3 + 5], [17, 4079, 4096, 1, 8191, 2], [4097]];
    for (const pattern of patterns) {
      const sizes = Array.from({ length: 12 }, (_, i) => pattern[i % pattern.length] as number);
      const chunks = sizes.map((n) => randomBytes(n));
      const content = Buffer.concat(chunks);
      const { key, size } = await s.put(Readable.from(chunks), { maxBytes: 1e6 });
      expect(size).toBe(content.length);
      expect(key).toBe(sha256(content));
      expect(await sha256OfFile(path.join(s.root, key.slice(0, 2), key.slice(2, 4), key))).toBe(key);
    }
  });

  it('holds at most its batches when the hash thread is slow, and still stores the right bytes', async () => {
    const hasher = pool({ workerUrl: await faultyWorker() });
    const s = store({ ...small, hasher });
    // Every batch starts with the "slow" marker: 20 ms per batch on the hash thread.
    const content = randomBytes(40 * small.slotBytes + 123);
    for (let i = 0; i < content.length; i += small.slotBytes) content[i] = 0xea;
    let produced = 0;
    let maxAhead = 0;
    const source = new Readable({
      read() {
        if (produced >= content.length) return void this.push(null);
        const chunk = content.subarray(produced, produced + 1000);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const sampling = setInterval(async () => {
      const [name] = await fs.readdir(s.tempDir).catch(() => []);
      if (name === undefined) return;
      // Read before the size: the file only grows, so this never overstates how far ahead it is.
      const before = produced;
      const onDisk = await fs.stat(path.join(s.tempDir, name)).then(
        (st) => st.size,
        () => before,
      );
      maxAhead = Math.max(maxAhead, before - onDisk);
    }, 5);
    try {
      const { key } = await s.put(source, { maxBytes: 1e6 });
      expect(key).toBe(sha256(content));
    } finally {
      clearInterval(sampling);
    }
    expect(maxAhead).toBeGreaterThan(0);
    // The batches with the thread, the writer's queue and the source's buffer (each up to a chunk over).
    expect(maxAhead).toBeLessThanOrEqual(small.slots * small.slotBytes + small.slotBytes + 16_384 + 2000);
  });

  it('writes through the page cache when no aligned memory can be mapped', async () => {
    const runtime = (globalThis as unknown as { WebAssembly: { Memory: () => unknown } }).WebAssembly;
    vi.spyOn(runtime, 'Memory').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    });
    const slotPool = new AlignedSlotPool(small.slotBytes, 4);
    const s = store({ ...small, hasher: pool(), slotPool });
    expect(await s.usesDirectIo()).toBe(false);
    expect(slotPool.available).toBe(0);
    const content = randomBytes(50_000);
    expect((await s.put(chunked(content, 3000), { maxBytes: 1e6 })).key).toBe(sha256(content));
  });

  it('shares a small slot pool between concurrent uploads: direct or not, every one stored right', async () => {
    const slotPool = new AlignedSlotPool(small.slotBytes, 3);
    const s = store({ ...small, hasher: pool(), slotPool });
    const contents = Array.from({ length: 8 }, (_, i) =>
      randomBytes(i === 0 ? 0 : 1 + Math.floor(Math.random() * 300_000)),
    );
    const results = await Promise.all(
      contents.map((content) =>
        s.put(chunked(content, 1 + Math.floor(Math.random() * 9000)), { maxBytes: 1e6 }),
      ),
    );
    for (const [i, result] of results.entries()) {
      const content = contents[i] as Buffer;
      expect(result.key).toBe(sha256(content));
      expect((await readAll(await s.get(result.key))).equals(content)).toBe(true);
    }
    expect(slotPool.size).toBeLessThanOrEqual(3);
    expect(slotPool.available).toBe(3);
    expect(await fs.readdir(s.tempDir)).toEqual([]);
  });

  it('writes back ahead every syncEveryBytes, and only fsyncs at the end when it is 0', async () => {
    const prototype = await fileHandlePrototype();
    const datasync = vi.spyOn(prototype, 'datasync');
    const sync = vi.spyOn(prototype, 'sync');
    const content = randomBytes(200_000);

    const ahead = store({ ...small, hasher: pool(), directIo: false });
    expect((await ahead.put(chunked(content, 4000), { maxBytes: 1e6 })).key).toBe(sha256(content));
    expect(datasync.mock.calls.length).toBeGreaterThan(0);
    // The final fsync of the file, then the directory's (publish).
    expect(sync.mock.calls.length).toBeGreaterThanOrEqual(2);

    datasync.mockClear();
    sync.mockClear();
    const atEnd = store({ ...small, syncEveryBytes: 0, hasher: pool(), directIo: false });
    const other = randomBytes(200_000);
    expect((await atEnd.put(chunked(other, 4000), { maxBytes: 1e6 })).key).toBe(sha256(other));
    expect(datasync).not.toHaveBeenCalled();
    expect(sync.mock.calls.length).toBeGreaterThanOrEqual(2);
  });
});
