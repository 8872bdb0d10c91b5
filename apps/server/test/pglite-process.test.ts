import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, runMigrations } from '../src/db/connection.ts';
import { PgliteDirLock } from '../src/db/pglite-lock.ts';
import { EmbeddedDatabaseStopped, type RemotePglite } from '../src/db/pglite-remote.ts';
import { firms } from '../src/db/schema/index.ts';
import { isUniqueViolation } from '../src/lib/sql.ts';
import { openSessionBus } from '../src/modules/sessions/sessions.bus.ts';

// The embedded database as `npm start` runs it: PGlite in a process of its own (decision 153).
// Whatever the server project's database, this is about PGlite.

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-pglite-process-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const remoteOf = (database: Database) => (database.db as unknown as { $client: RemotePglite }).$client;
const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('PGlite in its own process', () => {
  it('runs the migrations and the app’s queries, transactions, errors and notifications', async () => {
    const dir = path.join(root, 'main');
    const database = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    const remote = remoteOf(database);
    try {
      const pid = remote.pid as number;
      expect(pid).not.toBe(process.pid);
      expect(isAlive(pid)).toBe(true);
      // The lock beside the directory names the database process.
      expect(await fs.readFile(`${dir}.lock`, 'utf8')).toBe(String(pid));

      await runMigrations(database);
      const { db } = database;
      const [firm] = await db.insert(firms).values({ slug: 'cabinet-a', name: 'Cabinet A' }).returning();
      expect(firm?.name).toBe('Cabinet A');
      // Timestamps come back as drizzle reads them from PGlite in process (Date objects).
      expect(firm?.createdAt).toBeInstanceOf(Date);

      // A constraint violation keeps PostgreSQL's code through the process boundary.
      const duplicate = await db
        .insert(firms)
        .values({ slug: 'cabinet-a', name: 'Again' })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(isUniqueViolation(duplicate)).toBe(true);

      // Committed, and rolled back on a throw (nothing of it visible).
      await db.transaction(async (tx) => {
        await tx.insert(firms).values({ slug: 'cabinet-b', name: 'Cabinet B' });
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.insert(firms).values({ slug: 'cabinet-c', name: 'Cabinet C' });
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      // A query outside the transaction waits for it, as with one PGlite in process.
      const [inside, outside] = await Promise.all([
        db.transaction(async (tx) => {
          await tx.insert(firms).values({ slug: 'cabinet-d', name: 'Cabinet D' });
          await new Promise((resolve) => setTimeout(resolve, 100));
          return rowsOf(await tx.execute(sql`select count(*)::int as n from firms`))[0]?.n;
        }),
        db.execute(sql`select count(*)::int as n from firms`).then((r) => rowsOf(r)[0]?.n),
      ]);
      expect(inside).toBe(3);
      expect(outside).toBe(3);
      const slugs = rowsOf(await db.execute(sql`select slug from firms order by slug`)).map((r) => r.slug);
      expect(slugs).toEqual(['cabinet-a', 'cabinet-b', 'cabinet-d']);

      // Bytes and JSON survive the trip.
      const bytes = Buffer.from([0, 1, 2, 254, 255]);
      const [echo] = rowsOf(
        await db.execute(sql`select ${bytes}::bytea as b, ${'{"a":[1,"é"]}'}::jsonb as j`),
      );
      expect(Buffer.from(echo?.b as Uint8Array).equals(bytes)).toBe(true);
      expect(echo?.j).toEqual({ a: [1, 'é'] });

      // LISTEN/NOTIFY, as the session bus uses it: delivered at commit.
      const heard: string[] = [];
      const bus = await openSessionBus(db, {
        message: (payload) => heard.push(payload),
        lost: () => undefined,
      });
      expect(bus?.listening).toBe(true);
      await bus?.publish('session:42');
      await waitFor(() => heard.length > 0);
      expect(heard).toEqual(['session:42']);
      await bus?.close();
    } finally {
      await database.close();
    }
    // Closed cleanly: the process is gone and so is the lock; the data stays.
    expect(isAlive(remote.pid as number)).toBe(false);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    try {
      const count = rowsOf(await again.db.execute(sql`select count(*)::int as n from firms`))[0]?.n;
      expect(count).toBe(3);
    } finally {
      await again.close();
    }
  });

  it('lets no second engine open the directory while one holds it', async () => {
    const dir = path.join(root, 'locked');
    const database = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    try {
      await expect(PgliteDirLock.acquire(dir, { timeoutMs: 300 })).rejects.toThrow(/in use by process/);
    } finally {
      await database.close();
    }
    const lock = await PgliteDirLock.acquire(dir, { timeoutMs: 300 });
    await lock.release();
  });

  it('fails every query once the database process dies, and a new start takes over its lock', async () => {
    const dir = path.join(root, 'killed');
    const database = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    const remote = remoteOf(database);
    await runMigrations(database);
    await database.db.insert(firms).values({ slug: 'kept', name: 'Kept' });
    process.kill(remote.pid as number, 'SIGKILL');
    const reason = await database.stopped;
    expect(reason).toBeInstanceOf(EmbeddedDatabaseStopped);
    const failed = await database.db.execute(sql`select 1`).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    // drizzle wraps the driver's error: the cause is the stopped database.
    expect(failed?.cause).toBeInstanceOf(EmbeddedDatabaseStopped);
    await database.close();

    const next = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    try {
      const slugs = rowsOf(await next.db.execute(sql`select slug from firms`)).map((r) => r.slug);
      expect(slugs).toEqual(['kept']);
    } finally {
      await next.close();
    }
  });

  it('ends with the server even when the server is killed (SIGKILL)', async () => {
    const dir = path.join(root, 'orphan');
    // A server stand-in: opens the database in its own process, prints that process's id, waits.
    const script = `
      import { openDatabase } from ${JSON.stringify(path.resolve('apps/server/src/db/connection.ts'))};
      const database = await openDatabase({ kind: 'pglite', dir: ${JSON.stringify(dir)}, separateProcess: true });
      console.log('db ' + database.db.$client.pid);
      setInterval(() => {}, 1000);
    `;
    const server = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const dbPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk) => {
        out += chunk;
        const match = /^db (\d+)$/m.exec(out);
        if (match) resolve(Number(match[1]));
      });
      server.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    });
    expect(isAlive(dbPid)).toBe(true);
    server.kill('SIGKILL');
    // Its channel closed, the database process closes PGlite and ends by itself.
    await waitFor(() => !isAlive(dbPid));
    // …and gives the directory's lock back itself, the server being unable to.
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const reopened = await openDatabase({ kind: 'pglite', dir, separateProcess: true });
    await reopened.close();
  });
});
