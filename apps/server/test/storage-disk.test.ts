import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreContract, listAll, sha256 } from '../src/lib/storage/blob-store.contract.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';

const makeDiskStore = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-blobs-'));
  return { dir, store: new DiskBlobStore(path.join(dir, 'blobs')) };
};

describeBlobStoreContract('disk', async () => {
  const { dir, store } = await makeDiskStore();
  return { store, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
});

// Tiny buffers: every test of the contract crosses many buffer boundaries and write-back syncs.
describeBlobStoreContract('disk, 1 KiB buffers', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-blobs-'));
  const store = new DiskBlobStore(path.join(dir, 'blobs'), {
    slotBytes: 1024,
    slots: 3,
    syncEveryBytes: 8192,
  });
  return { store, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('DiskBlobStore on disk', () => {
  it('lays blobs out as aa/bb/<sha256> under the root, not readable by others, with no temp left', async () => {
    const { dir, store } = await makeDiskStore();
    try {
      const content = randomBytes(5000);
      const { key } = await store.put(Readable.from([content]), { maxBytes: 5000 });
      const relative = path.join(key.slice(0, 2), key.slice(2, 4), key);
      expect(await filesUnder(store.root)).toEqual([relative]);
      const file = path.join(store.root, relative);
      expect((await fs.readFile(file)).equals(content)).toBe(true);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o640 & ~process.umask());
      expect(DiskBlobStore.inDataDir(dir).root).toBe(store.root);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('cleans only temp files older than the threshold', async () => {
    const { dir, store } = await makeDiskStore();
    try {
      await fs.mkdir(store.tempDir, { recursive: true });
      const old = path.join(store.tempDir, 'old.part');
      const fresh = path.join(store.tempDir, 'fresh.part');
      await fs.writeFile(old, 'interrupted');
      await fs.writeFile(fresh, 'in progress');
      const hourAgo = new Date(Date.now() - 3600_000);
      await fs.utimes(old, hourAgo, hourAgo);
      expect(await store.cleanupTemp(60_000)).toBe(1);
      expect(await fs.readdir(store.tempDir)).toEqual(['fresh.part']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('lists only well-formed keys in their own shard', async () => {
    const { dir, store } = await makeDiskStore();
    try {
      const { key } = await store.put(Readable.from([Buffer.from('pièce')]), { maxBytes: 100 });
      const other = sha256(Buffer.from('elsewhere'));
      const strays = [
        path.join(store.root, 'ff', 'ff', other), // a valid key in the wrong shard
        path.join(store.root, key.slice(0, 2), key.slice(2, 4), 'notes.txt'),
        path.join(store.root, 'zz', 'zz', other),
      ];
      for (const stray of strays) {
        await fs.mkdir(path.dirname(stray), { recursive: true });
        await fs.writeFile(stray, 'x');
      }
      expect(await listAll(store)).toEqual([key]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('lists nothing and cleans nothing in a store never written to', async () => {
    const store = new DiskBlobStore(path.join(os.tmpdir(), `passerelle-never-${Date.now()}`));
    expect(await listAll(store)).toEqual([]);
    expect(await store.cleanupTemp(0)).toBe(0);
  });
});
