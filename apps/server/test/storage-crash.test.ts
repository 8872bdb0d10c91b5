import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../src/lib/storage/blob-store.contract.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';

// The child keeps one huge upload in flight and stores many blobs of random sizes in a loop,
// reporting each key once put() has resolved; the parent SIGKILLs it at a random moment.
const childSource = `
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
const { DiskBlobStore } = await import(process.argv[2]);
const store = new DiskBlobStore(process.argv[3]);
const randomStream = (total) => {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 65536);
      left -= n;
      this.push(randomBytes(n));
    },
  });
};
store.put(randomStream(8 * 1024 ** 3), { maxBytes: 8 * 1024 ** 3 }).catch(() => {});
for (;;) {
  const size = 1 + Math.floor(Math.random() * 3_000_000);
  const { key } = await store.put(randomStream(size), { maxBytes: size });
  process.stdout.write('stored ' + key + '\\n');
}
`;

const serverDir = path.resolve(import.meta.dirname, '..');
const storeModule = pathToFileURL(path.join(serverDir, 'src/lib/storage/disk-blob-store.ts')).href;

let dir: string;
let store: DiskBlobStore;
let childScript: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-crash-'));
  store = new DiskBlobStore(path.join(dir, 'blobs'));
  childScript = path.join(dir, 'writer.mjs');
  await fs.writeFile(childScript, childSource);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it has stored `atLeast` blobs, then kills it -9 after a random delay. */
async function runAndKill(atLeast: number): Promise<string[]> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, storeModule, store.root],
    {
      cwd: serverDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stored: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) stored.push(line.replace(/^stored /, ''));
      if (stored.length >= atLeast) resolve();
    });
    void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 120));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return stored;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('disk store killed mid-write', () => {
  it('never exposes a partial blob, keeps every acknowledged blob, and cleans the leftovers', async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < 4; round++) acknowledged.push(...(await runAndKill(2 + round)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(14);

    const keys = await listAll(store);
    for (const key of acknowledged) expect(keys).toContain(key);

    // Every file outside tmp/ sits at its content address and hashes to its name.
    const entries = await fs.readdir(store.root, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => path.dirname(f) !== store.tempDir);
    expect(files.length).toBe(keys.length);
    for (const file of files) {
      const name = path.basename(file);
      expect(path.relative(store.root, file)).toBe(path.join(name.slice(0, 2), name.slice(2, 4), name));
      expect(await sha256OfFile(file)).toBe(name);
    }

    // Each killed writer left at least its huge upload in tmp/; the cleanup removes all of them.
    const leftovers = await fs.readdir(store.tempDir);
    expect(leftovers.length).toBeGreaterThanOrEqual(4);
    expect(await store.cleanupTemp(0)).toBe(leftovers.length);
    expect(await fs.readdir(store.tempDir)).toEqual([]);
    expect((await listAll(store)).sort()).toEqual([...keys].sort());
  });
});
