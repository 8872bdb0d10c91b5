/**
 * The servers compared by upload-pipeline.bench.ts, each run in a child process of its own so its
 * memory can be read from /proc:
 *
 *   tsx bench/upload-server.ts pipeline <dir> [postgres-url]
 *       the real server (buildApp, as `npm start` builds it), DATA_DIR=<dir>, on a fresh database:
 *       the PostgreSQL database named by the URL (created empty by the parent, which also drops
 *       it), or, without a URL, PGlite in <dir>/pglite as `npm start` opens it. Migrates it, seeds one firm, one
 *       administrator, one client file and one GED folder, and signs the administrator in.
 *   tsx bench/upload-server.ts pipeline-lib <dir>
 *       the upload path alone, for its memory: Fastify + @fastify/multipart + ingestUpload ->
 *       DiskBlobStore (no session, no database, none of the app's other modules)
 *   tsx bench/upload-server.ts bare <dir>        node:http piping the request body to a file
 *   tsx bench/upload-server.ts bare-fsync <dir>  the same, fsyncing the file before answering
 *
 * Prints one line `ready {"port":…,"path":…,"headers":{…}}`: where to POST the multipart body and
 * with which headers (the pipeline's session cookie and CSRF token).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

const [mode, dir, databaseUrl] = process.argv.slice(2);
if (dir === undefined || !['pipeline', 'pipeline-lib', 'bare', 'bare-fsync'].includes(mode ?? '')) {
  console.error('usage: upload-server.ts pipeline <dir> [postgres-url] | pipeline-lib|bare|bare-fsync <dir>');
  process.exit(2);
}
const maxBytes = 64 * 1024 ** 3;

export interface UploadTarget {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** The embedded database's own process (PGlite as `npm start` runs it), if any. */
  databasePid?: number;
}

let shutdown: () => Promise<void> = async () => {};

async function startPipeline(): Promise<UploadTarget> {
  // Imported here only: the bare servers stay bare (their memory and start-up hold no app code).
  const { buildApp } = await import('../apps/server/src/app.ts');
  const { loadConfig } = await import('../apps/server/src/config.ts');
  const { openDatabase, runMigrations } = await import('../apps/server/src/db/connection.ts');
  const { clientFiles, firms, gedFolders, staffMembers, users } = await import(
    '../apps/server/src/db/schema/index.ts'
  );
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    DATA_DIR: dir as string,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    UPLOAD_MAX_BYTES: String(maxBytes),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  // Without a URL: PGlite in DATA_DIR/pglite, exactly as `npm start` opens it (decision 151).
  const database = await openDatabase(
    databaseUrl ? { kind: 'postgres', url: databaseUrl, poolSize: 5 } : config.database,
  );
  await runMigrations(database);
  const { app, ctx } = await buildApp({ config, database, startWorkers: false, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  shutdown = async () => {
    await app.close();
    await database.close();
  };

  const db = ctx.db;
  const tag = randomBytes(4).toString('hex');
  const [firm] = await db
    .insert(firms)
    .values({ slug: `bench-${tag}`, name: 'Cabinet Bench' })
    .returning();
  const [user] = await db
    .insert(users)
    .values({ issuer: 'https://idp.bench', subject: `admin-${tag}`, email: `admin-${tag}@bench.test` })
    .returning();
  if (!firm || !user) throw new Error('seed failed');
  const [staff] = await db
    .insert(staffMembers)
    .values({
      firmId: firm.id,
      userId: user.id,
      email: user.email as string,
      firstName: 'Camille',
      lastName: 'Martin',
      role: 'administrateur',
    })
    .returning();
  const [file] = await db
    .insert(clientFiles)
    .values({ firmId: firm.id, code: 'CLI00001', name: 'Boulangerie Dupont' })
    .returning();
  if (!staff || !file) throw new Error('seed failed');
  const [folder] = await db
    .insert(gedFolders)
    .values({ firmId: firm.id, fileId: file.id, name: 'Relevés bancaires' })
    .returning();
  if (!folder) throw new Error('seed failed');
  const session = await ctx.sessions.start({
    userId: user.id,
    firmId: firm.id,
    kind: 'staff',
    principalId: staff.id,
  });
  const databasePid = (database.db as unknown as { $client?: { pid?: unknown } }).$client?.pid;
  return {
    ...(typeof databasePid === 'number' ? { databasePid } : {}),
    port: (app.server.address() as AddressInfo).port,
    path: `/api/ged/folders/${folder.id}/documents`,
    headers: { cookie: `${app.sessionCookieName}=${session.token}`, 'x-csrf-token': session.csrfToken },
  };
}

async function startPipelineLib(): Promise<UploadTarget> {
  const { default: Fastify } = await import('fastify');
  const { default: multipart } = await import('@fastify/multipart');
  const { AppError } = await import('../apps/server/src/lib/errors.ts');
  const { DiskBlobStore } = await import('../apps/server/src/lib/storage/disk-blob-store.ts');
  const { ingestUpload } = await import('../apps/server/src/lib/uploads/ingest.ts');
  const { installErrorHandler } = await import('../apps/server/src/plugins/error-handler.ts');
  const store = DiskBlobStore.inDataDir(dir as string);
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1 } });
  app.post('/upload', async (request) => {
    const file = await request.file();
    if (file === undefined) throw new AppError('BAD_REQUEST');
    return ingestUpload(store, file, { maxBytes });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  shutdown = () => app.close();
  return { port: (app.server.address() as AddressInfo).port, path: '/upload', headers: {} };
}

async function startBare(fsync: boolean): Promise<UploadTarget> {
  let n = 0;
  const server = http.createServer((req, res) => {
    // A 1 MiB write buffer: what arrives during a write goes out together (writev).
    const out = createWriteStream(path.join(dir as string, `bare-${process.pid}-${n++}.bin`), {
      flush: fsync,
      highWaterMark: 1024 * 1024,
    });
    pipeline(req, out).then(
      () => res.end('{"ok":true}'),
      (err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      },
    );
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, path: '/upload', headers: {} };
}

const target =
  mode === 'pipeline'
    ? await startPipeline()
    : mode === 'pipeline-lib'
      ? await startPipelineLib()
      : await startBare(mode === 'bare-fsync');
process.stdout.write(`ready ${JSON.stringify(target)}\n`);

// BENCH_GC_STATS=1: garbage collections by kind, printed to stderr at exit (an observer costs
// nothing measurable, unlike --trace-gc, whose output changed what it measured).
const gcStats = new Map<string, { count: number; ms: number }>();
if (process.env.BENCH_GC_STATS === '1') {
  const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      const stat = gcStats.get(kind) ?? { count: 0, ms: 0 };
      stat.count++;
      stat.ms += entry.duration;
      gcStats.set(kind, stat);
    }
  }).observe({ entryTypes: ['gc'] });
}

// A clean exit on SIGTERM/SIGINT (closes the database; lets `--cpu-prof` write its profile).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (gcStats.size > 0)
      process.stderr.write(
        `${mode} server gc: ${[...gcStats].map(([k, v]) => `${k} ${v.count} (${v.ms.toFixed(0)} ms)`).join(', ')}\n`,
      );
    shutdown().finally(() => process.exit(0));
  });
}
