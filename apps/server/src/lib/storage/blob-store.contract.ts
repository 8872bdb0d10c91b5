import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlobStore, BlobStoreError, type BlobStoreErrorCode } from './blob-store.ts';

/** What a contract run needs from an implementation: a fresh, empty store, and how to dispose of it. */
export interface BlobStoreFixture {
  store: BlobStore;
  dispose(): Promise<void>;
}

/**
 * The behaviour every BlobStore must have (disk today, S3 later): run it from a test file with
 * `describeBlobStoreContract('disk', async () => ({ store, dispose }))`.
 */
export function describeBlobStoreContract(name: string, makeStore: () => Promise<BlobStoreFixture>) {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    const expectNothingStored = async () => {
      expect(await listAll(store)).toEqual([]);
      expect(await store.cleanupTemp(0)).toBe(0);
    };

    it('stores a stream under the SHA-256 of its bytes and reads it back', async () => {
      const content = randomBytes(300_000);
      const result = await store.put(chunked(content, 7_000), { maxBytes: 1_000_000 });
      expect(result).toEqual({
        key: sha256(content),
        sha256: sha256(content),
        size: content.length,
        created: true,
      });
      expect(await store.has(result.key)).toBe(true);
      expect(await store.stat(result.key)).toMatchObject({ key: result.key, size: content.length });
      expect((await readAll(await store.get(result.key))).equals(content)).toBe(true);
      expect(await listAll(store)).toEqual([result.key]);
      expect(await store.cleanupTemp(0)).toBe(0);
    });

    it('stores an empty blob (refusing empty uploads is the caller’s rule)', async () => {
      const result = await store.put(Readable.from([]), { maxBytes: 10 });
      expect(result).toMatchObject({ key: sha256(Buffer.alloc(0)), size: 0, created: true });
      expect((await readAll(await store.get(result.key))).length).toBe(0);
    });

    it('deduplicates identical content and refreshes its modification time', async () => {
      const content = randomBytes(50_000);
      const first = await store.put(chunked(content, 4096), { maxBytes: 100_000 });
      const before = (await store.stat(first.key))?.modifiedAt ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = await store.put(chunked(content, 1000), { maxBytes: 100_000 });
      expect(second).toEqual({ ...first, created: false });
      expect((await store.stat(first.key))?.modifiedAt).toBeGreaterThan(before);
      expect(await listAll(store)).toEqual([first.key]);
      expect(await store.cleanupTemp(0)).toBe(0);
    });

    it('accepts exactly maxBytes', async () => {
      const content = randomBytes(1024);
      await expect(store.put(chunked(content, 100), { maxBytes: 1024 })).resolves.toMatchObject({
        size: 1024,
      });
    });

    it('aborts past maxBytes, stops reading the source and leaves nothing', async () => {
      let produced = 0;
      const endless = new Readable({
        read() {
          produced += 64 * 1024;
          this.push(Buffer.alloc(64 * 1024, 1));
        },
      });
      await expectStoreError(store.put(endless, { maxBytes: 1_000_000 }), 'TOO_LARGE');
      expect(produced).toBeLessThan(8 * 1024 * 1024);
      expect(endless.destroyed).toBe(true);
      await expectNothingStored();
    });

    it('leaves nothing when the source fails mid-way', async () => {
      const failure = new Error('client went away');
      async function* failing() {
        yield randomBytes(100_000);
        yield randomBytes(100_000);
        throw failure;
      }
      await expect(store.put(Readable.from(failing()), { maxBytes: 10_000_000 })).rejects.toBe(failure);
      await expectNothingStored();
    });

    it('leaves nothing when the source is destroyed without an error', async () => {
      const source = new Readable({ read() {} });
      source.push(randomBytes(10_000));
      const pending = store.put(source, { maxBytes: 10_000_000 });
      setTimeout(() => source.destroy(), 20);
      await expect(pending).rejects.toThrow();
      await expectNothingStored();
    });

    it('creates a blob once under concurrent puts of the same content', async () => {
      const content = randomBytes(2_000_000);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.put(chunked(content, 10_000 + i * 777), { maxBytes: 5_000_000 }),
        ),
      );
      expect(new Set(results.map((r) => r.key))).toEqual(new Set([sha256(content)]));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await readAll(await store.get(sha256(content)))).equals(content)).toBe(true);
      expect(await listAll(store)).toEqual([sha256(content)]);
      expect(await store.cleanupTemp(0)).toBe(0);
    });

    it('stores different contents put concurrently', async () => {
      const contents = Array.from({ length: 6 }, () => randomBytes(200_000));
      const results = await Promise.all(
        contents.map((c) => store.put(chunked(c, 16_384), { maxBytes: 1_000_000 })),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect((await listAll(store)).sort()).toEqual(contents.map(sha256).sort());
    });

    it('reads byte ranges (inclusive, end clamped to the last byte) and refuses unsatisfiable ones', async () => {
      const content = randomBytes(10_000);
      const { key } = await store.put(chunked(content, 999), { maxBytes: 10_000 });
      const read = async (start: number, end?: number) =>
        readAll(await store.get(key, end === undefined ? { start } : { start, end }));
      expect((await read(0, 0)).equals(content.subarray(0, 1))).toBe(true);
      expect((await read(100, 199)).equals(content.subarray(100, 200))).toBe(true);
      expect((await read(9_990)).equals(content.subarray(9_990))).toBe(true);
      expect((await read(9_000, 50_000)).equals(content.subarray(9_000))).toBe(true);
      await expectStoreError(store.get(key, { start: 10_000 }), 'INVALID_RANGE');
      await expectStoreError(store.get(key, { start: 20, end: 10 }), 'INVALID_RANGE');
      await expectStoreError(store.get(key, { start: -1, end: 10 }), 'INVALID_RANGE');
      await expectStoreError(store.get(key, { start: 1.5 }), 'INVALID_RANGE');
    });

    it('refuses keys that are not 64 lowercase hex characters', async () => {
      const { key } = await store.put(Readable.from([Buffer.from('x')]), { maxBytes: 10 });
      const hostile = [
        '../../../../etc/passwd',
        `../${key}`,
        `${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`,
        key.toUpperCase(),
        key.slice(1),
        `${key}0`,
        `${key.slice(0, 63)}\u0000`,
        `${key.slice(0, 62)}/.`,
        '',
      ];
      for (const bad of hostile) {
        await expectStoreError(store.get(bad), 'INVALID_KEY');
        await expectStoreError(store.stat(bad), 'INVALID_KEY');
        await expectStoreError(store.has(bad), 'INVALID_KEY');
        await expectStoreError(store.delete(bad), 'INVALID_KEY');
      }
      expect(await listAll(store)).toEqual([key]);
    });

    it('reports a missing blob', async () => {
      const missing = sha256(Buffer.from('never stored'));
      await expectStoreError(store.get(missing), 'NOT_FOUND');
      await expectStoreError(store.get(missing, { start: 0 }), 'NOT_FOUND');
      expect(await store.stat(missing)).toBeUndefined();
      expect(await store.has(missing)).toBe(false);
      expect(await store.delete(missing)).toBe(false);
    });

    it('lists and deletes', async () => {
      const keys = [];
      for (const text of ['un', 'deux', 'trois']) {
        keys.push((await store.put(Readable.from([Buffer.from(text)]), { maxBytes: 10 })).key);
      }
      expect((await listAll(store)).sort()).toEqual([...keys].sort());
      expect(await store.delete(keys[1] as string)).toBe(true);
      expect(await store.delete(keys[1] as string)).toBe(false);
      expect(await store.has(keys[1] as string)).toBe(false);
      expect((await listAll(store)).sort()).toEqual([keys[0], keys[2]].sort());
    });

    it('keeps a blob modified after unmodifiedSince', async () => {
      const { key } = await store.put(Readable.from([Buffer.from('facture')]), { maxBytes: 100 });
      const modifiedAt = (await store.stat(key))?.modifiedAt ?? Number.NaN;
      expect(await store.delete(key, { unmodifiedSince: modifiedAt - 1_000 })).toBe(false);
      expect(await store.has(key)).toBe(true);
      expect(await store.delete(key, { unmodifiedSince: modifiedAt + 1_000 })).toBe(true);
      expect(await store.has(key)).toBe(false);
    });
  });
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function chunked(content: Buffer, chunkSize: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < content.length; offset += chunkSize) {
        yield content.subarray(offset, offset + chunkSize);
      }
    })(),
  );
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function listAll(store: BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys;
}

async function expectStoreError(promise: Promise<unknown>, code: BlobStoreErrorCode) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BlobStoreError);
  expect((err as BlobStoreError).code).toBe(code);
}
