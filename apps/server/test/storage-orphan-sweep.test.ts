import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAll } from '../src/lib/storage/blob-store.contract.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';
import { sweepOrphans } from '../src/lib/storage/orphan-sweep.ts';

const hour = 3600_000;
let dir: string;
let store: DiskBlobStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-sweep-'));
  store = new DiskBlobStore(path.join(dir, 'blobs'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const put = async (text: string) =>
  (await store.put(Readable.from([Buffer.from(text)]), { maxBytes: 1000 })).key;

describe('orphan sweep', () => {
  it('deletes unreferenced blobs past the grace period and keeps the others', async () => {
    const referenced = await put('relevé bancaire');
    const orphan = await put('upload abandonné');
    const refs = new Set([referenced]);
    const report = await sweepOrphans(store, async (key) => refs.has(key), {
      graceMs: hour,
      now: () => Date.now() + 2 * hour,
    });
    expect(report).toEqual({ scanned: 2, deleted: [orphan], referenced: 1, withinGrace: 0 });
    expect(await listAll(store)).toEqual([referenced]);
  });

  it('keeps an unreferenced blob within the grace period (written, row not committed yet)', async () => {
    const pending = await put('dépôt en cours');
    let asked = 0;
    const report = await sweepOrphans(
      store,
      async () => {
        asked++;
        return false;
      },
      { graceMs: hour },
    );
    expect(report.withinGrace).toBe(1);
    expect(asked).toBe(0);
    expect(await store.has(pending)).toBe(true);
  });

  it('keeps an old orphan that an upload deduplicates while the sweep runs', async () => {
    const key = await put('facture 2024-001');
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The same content arrives between the sweep's reference check and its delete.
    const report = await sweepOrphans(
      store,
      async () => {
        const again = await store.put(Readable.from([Buffer.from('facture 2024-001')]), { maxBytes: 1000 });
        expect(again).toMatchObject({ key, created: false });
        return false;
      },
      { graceMs: 30 },
    );
    expect(report.deleted).toEqual([]);
    expect(await store.has(key)).toBe(true);
  });

  it('refuses a negative grace period', async () => {
    await expect(sweepOrphans(store, async () => false, { graceMs: -1 })).rejects.toThrow(TypeError);
  });
});
