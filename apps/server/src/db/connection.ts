import { execFile } from 'node:child_process';
import { access, mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { PgliteDirLock } from './pglite-lock.ts';
import { RemotePglite } from './pglite-remote.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** Repositories take either, so the service decides where the transaction starts. */
export type DbOrTx = Db | Tx;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | {
      kind: 'pglite';
      dir?: string;
      loadDataDir?: Blob;
      /**
       * Run PGlite in a process of its own (docs/decisions/153; `npm start` does, with `dir`): the
       * server then holds none of the engine's memory. Otherwise in this process (tests).
       */
      separateProcess?: boolean;
    };

export interface Database {
  db: Db;
  kind: DatabaseTarget['kind'];
  close(): Promise<void>;
  /** Runs fn while holding a PostgreSQL advisory lock (PGlite has one connection: no need). */
  withSessionLock?<T>(lockId: number, fn: () => Promise<T>): Promise<T>;
  /** Dump of a PGlite data directory (used to clone a migrated template in tests). */
  dumpPglite?(): Promise<Blob>;
  /** A database in a process of its own: resolves if that process ends without `close()`. */
  stopped?: Promise<Error>;
}

/**
 * PGlite's start parameters plus a smaller shared_buffers (decision 151). Its default, 128MB, is
 * resident in the server process from start-up on (the shared memory is allocated and zeroed inside
 * the WebAssembly memory), whatever the size of the data. With 16MB the pages beyond it are read
 * back from the operating system's file cache when needed. Everything else stays PGlite's default.
 */
export const pgliteStartParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Creates the cluster of a new PGlite data directory in a short-lived child process. PGlite's
 * initdb runs a second PostgreSQL instance and copies its whole WebAssembly memory: done in the
 * server, it raised the server's peak to 750–890 MiB at a first start and left ~100 MiB more at rest
 * than a start on an existing directory. The cluster is built in a sibling folder and renamed into
 * place, so an interrupted first start leaves no half-made directory. A directory that already holds
 * anything is left to PGlite.
 */
async function initPgliteDir(dir: string): Promise<void> {
  let entries: string[] | null = null;
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (entries !== null && entries.length > 0) return;
  await mkdir(path.dirname(dir), { recursive: true });
  const temp = `${dir}.init-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  try {
    await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', initdbChildScript, temp, JSON.stringify(pgliteStartParams)],
      // Resolves @electric-sql/pglite from this package, as this module does.
      { cwd: path.dirname(fileURLToPath(import.meta.url)), maxBuffer: 16 * 1024 * 1024 },
    );
    if (entries !== null) await rmdir(dir);
    await rename(temp, dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // Another process starting on the same directory got there first: its cluster is as good.
    const made = await access(path.join(dir, 'PG_VERSION')).then(
      () => true,
      () => false,
    );
    if (made) return;
    throw new Error(`PGlite could not create its data directory ${dir}`, { cause: err });
  }
}

/**
 * The child's program: initdb through PGlite in the given folder, a clean shutdown, then an explicit
 * exit (a child left to end by itself was seen to keep running after close).
 */
const initdbChildScript = `
const [dir, params] = process.argv.slice(1);
try {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create({ dataDir: dir, startParams: JSON.parse(params) });
  await pg.close();
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
`;

// An arbitrary constant: serialises migrations when several instances start at once.
const MIGRATION_LOCK_ID = 724_031_977;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries report their own errors.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      close: () => pool.end(),
      withSessionLock: async (lockId, fn) => {
        // Advisory locks belong to a connection: hold one client for lock and unlock.
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock($1)', [lockId]);
          try {
            return await fn();
          } finally {
            await client.query('select pg_advisory_unlock($1)', [lockId]);
          }
        } finally {
          client.release();
        }
      },
    };
  }
  if (target.dir && !target.loadDataDir) await initPgliteDir(target.dir);
  if (target.dir) await mkdir(target.dir, { recursive: true });
  if (target.separateProcess) {
    if (!target.dir || target.loadDataDir)
      throw new TypeError('a separate PGlite process needs a data directory');
    const remote = await RemotePglite.start(target.dir, pgliteStartParams);
    // biome-ignore lint/suspicious/noExplicitAny: drizzle's PGlite driver takes any client with its methods
    const db = drizzlePglite({ client: remote as any, schema }) as unknown as Db;
    return { db, kind: 'pglite', close: () => remote.close(), stopped: remote.stopped };
  }
  // One engine per directory: the lock waits for a previous holder (decision 153).
  const lock = target.dir ? await PgliteDirLock.acquire(target.dir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create({
      extensions: { pg_trgm, btree_gin },
      startParams: pgliteStartParams,
      ...(target.dir ? { dataDir: target.dir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      await lock?.release();
    },
    dumpPglite: async () => (await client.dumpDataDir('none')) as Blob,
  };
}

/**
 * Extensions the migrations use, created first because drizzle-kit does not generate them.
 * pg_trgm (trigram indexes for search-as-you-type) and btree_gin (scalar keys in the GED's
 * search GIN) are trusted extensions: the database owner may create them without superuser rights.
 */
const createExtensions = async (database: Database) => {
  await database.db.execute(sql`create extension if not exists pg_trgm`);
  await database.db.execute(sql`create extension if not exists btree_gin`);
};

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await createExtensions(database);
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants its driver's own type
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  const lock = database.withSessionLock;
  if (!lock) throw new Error('PostgreSQL database without lock support');
  await lock(MIGRATION_LOCK_ID, async () => {
    await createExtensions(database);
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants its driver's own type
    await migratePg(database.db as any, { migrationsFolder });
  });
}

/** True when every migration shipped with this build is recorded as applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  try {
    const result = await database.db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const rows = (result as unknown as { rows: { n: number }[] }).rows;
    return (rows[0]?.n ?? 0) >= journal.entries.length;
  } catch {
    return false;
  }
}
