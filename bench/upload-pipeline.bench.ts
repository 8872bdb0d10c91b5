/**
 * Upload pipeline benchmark: the product's upload route, whole — the real server (buildApp) with a
 * signed-in staff session, `POST /api/ged/folders/:folderId/documents`: access guard and CSRF,
 * @fastify/multipart, name and type checks, SHA-256 (worker thread), fsync'd content-addressed
 * write, then the document row, its version and its audit entry committed in one transaction
 * (docs/decisions/060, 140) — against a bare node:http server piping the same request body to a
 * file on the same disk, in the same run; then the pipeline server's peak memory during one very
 * large upload.
 *
 *   npx tsx bench/upload-pipeline.bench.ts
 *   BENCH_SIZE_MIB=1024 BENCH_RUNS=5 BENCH_BIG_GB=5 npx tsx bench/upload-pipeline.bench.ts
 *
 * The pipeline server runs on a fresh PostgreSQL database created for the run and dropped at the
 * end (BENCH_DATABASE_URL names the server, default postgres://postgres@127.0.0.1:5432/postgres),
 * or with BENCH_DB=pglite on PGlite in the server's data folder, as `npm start` runs it: in a process of
 * its own (docs/decisions/153), whose memory the large upload reports beside the server's.
 * BENCH_BIG_GB=0 skips the large upload.
 *
 * Goals: pipeline throughput ≥ 0.8 × bare; pipeline server peak RSS ≤ 200 MiB during a 5 GB upload.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { UploadTarget } from './upload-server.ts';

const GOALS = { ratio: 0.8, peakRssMiB: 200 };
const MiB = 1024 * 1024;

const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const bigGB = Number(process.env.BENCH_BIG_GB ?? 5);
const dbKind = process.env.BENCH_DB === 'pglite' ? 'pglite' : 'postgres';
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');

type Mode = 'pipeline' | 'pipeline-other-db' | 'pipeline-lib' | 'bare' | 'bare-fsync';

/**
 * BENCH_MODES=bare,bare-fsync,pipeline,pipeline-lib adds the upload path alone to the comparison;
 * `pipeline-other-db` adds the real server on the other database (PGlite when BENCH_DB is
 * PostgreSQL, and the reverse), to compare the two in one run.
 */
/** BENCH_THREADS=1 prints each run's server CPU per thread (main, libuv, hash, GC helpers). */
const showThreads = process.env.BENCH_THREADS === '1';
const compareModes = (process.env.BENCH_MODES ?? 'bare,bare-fsync,pipeline').split(',') as Mode[];
for (const mode of ['bare', 'pipeline'] as const)
  if (!compareModes.includes(mode)) throw new Error(`BENCH_MODES must include ${mode}`);

interface Server {
  child: ChildProcess;
  target: UploadTarget;
  /** The PostgreSQL database made for it, dropped when it stops. */
  database?: string;
}

// --- fresh databases for the pipeline servers -------------------------------------------------

async function admin<T>(task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `passerelle_upload_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin((client) => client.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(name: string) {
  await admin((client) => client.query(`drop database if exists "${name}" with (force)`));
}

/** The servers run compiled by scripts/start.mjs, as `npm start` runs the product (docs/decisions/150). */
let compiled: Promise<{ program: string; nodeFlags: string[] }> | undefined;
/** The compiled server and the node flags `npm start` runs it with. */
function compiledUploadServer(): Promise<{ program: string; nodeFlags: string[] }> {
  type Build = (o: { entryPoints: string[]; outdir: string }) => Promise<string[]>;
  compiled ??= import(pathToFileURL(path.join(repoRoot, 'scripts/start.mjs')).href).then(
    async ({ buildServer, serverNodeFlags }: { buildServer: Build; serverNodeFlags: string[] }) => ({
      program: (
        await buildServer({
          entryPoints: [path.join(benchDir, 'upload-server.ts')],
          outdir: path.join(repoRoot, 'apps/server/dist/bench-upload-server'),
        })
      )[0] as string,
      nodeFlags: serverNodeFlags,
    }),
  );
  return compiled;
}

async function startServer(mode: Mode, dir: string): Promise<Server> {
  const { program, nodeFlags } = await compiledUploadServer();
  const onPostgres =
    mode === 'pipeline' ? dbKind === 'postgres' : mode === 'pipeline-other-db' && dbKind === 'pglite';
  const database = onPostgres ? await createDatabase() : undefined;
  const serverMode = mode === 'pipeline-other-db' ? 'pipeline' : mode;
  const args = [program, serverMode, dir, ...(database ? [database.url] : [])];
  const child = spawn(process.execPath, [...nodeFlags, ...profileArgs(mode), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const target = await new Promise<UploadTarget>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk) => {
        // What the server prints besides its ready line (e.g. --trace-gc) goes to our stderr.
        if (out.includes('\n')) process.stderr.write(chunk);
        out += chunk;
        const match = /^ready (.*)$/m.exec(out);
        if (match) resolve(JSON.parse(match[1] as string) as UploadTarget);
      });
      child.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)));
    });
    return { child, target, ...(database ? { database: database.name } : {}) };
  } catch (err) {
    if (database) await dropDatabase(database.name);
    throw err;
  }
}

/**
 * BENCH_CPU_PROF=<dir> profiles the pipeline servers (--cpu-prof); BENCH_SERVER_NODE_FLAGS adds node
 * flags to them (e.g. `--trace-gc`).
 */
function profileArgs(mode: Mode): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  if (!mode.startsWith('pipeline')) return [];
  return dir ? [...flags, '--cpu-prof', `--cpu-prof-dir=${dir}`] : flags;
}

async function stopServer(server: Server) {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  if (server.database) await dropDatabase(server.database);
}

// --- the upload: a multipart body streamed from memory, a PDF header then random bytes ---------

const boundary = '----passerelle-bench-boundary';
const pool = randomBytes(16 * MiB);

function multipartUpload(fileBytes: number): { body: Readable; length: number } {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="releve-annuel.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // A fresh prefix per upload, so no run deduplicates against a previous one.
  const pdfHeader = Buffer.from(`%PDF-1.7\n%${randomBytes(16).toString('hex')}\n`, 'latin1');
  function* chunks() {
    yield head;
    yield pdfHeader;
    let left = fileBytes - pdfHeader.length;
    let offset = 0;
    while (left > 0) {
      const n = Math.min(left, 256 * 1024, pool.length - offset);
      yield pool.subarray(offset, offset + n);
      left -= n;
      offset = (offset + n) % pool.length;
    }
    yield tail;
  }
  return {
    body: Readable.from(chunks(), { objectMode: false }),
    length: head.length + fileBytes + tail.length,
  };
}

async function upload(
  target: UploadTarget,
  fileBytes: number,
): Promise<{ seconds: number; status: number; body: string }> {
  const { body, length } = multipartUpload(fileBytes);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: target.path,
        agent: false,
        headers: {
          ...target.headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': length,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          resolve({ seconds, status: response.statusCode ?? 0, body: text });
        });
      },
    );
    request.on('error', reject);
    body.pipe(request);
  });
}

// --- memory and CPU time of a server process -------------------------------------------------

function readStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

/** User + system CPU seconds used so far (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime of a `/proc/…/stat` line (fields 14 and 15, after the parenthesised name). */
function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds per thread (`/proc/<pid>/task/<tid>/stat`), keyed by name and id. */
function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    byName.set(`${name}/${tid}`, statCpuSeconds(stat));
  }
  return byName;
}

function sampleRss(pid: number) {
  let maxRss = 0;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, readStatusKiB(pid, 'VmRSS'));
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      return { maxRssMiB: maxRss / 1024, hwmMiB: readStatusKiB(pid, 'VmHWM') / 1024 };
    },
  };
}

// --- runs ------------------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid)
    ? ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
    : (sorted[Math.floor(mid)] as number);
};

async function emptyDir(dir: string) {
  for (const entry of await readdir(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
}

/** What each server wrote: the bare files, or the pipeline's blob store (its rows stay). */
const clearUploads = (mode: Mode, dir: string) =>
  mode === 'pipeline' || mode === 'pipeline-other-db'
    ? rm(path.join(dir, 'blobs'), { recursive: true, force: true })
    : emptyDir(dir);

/** pipeline-lib answers with ingestUpload's result: the stored blob. */
function checkStoredLib(result: { status: number; body: string }, fileBytes: number) {
  if (result.status !== 200) throw new Error(`pipeline-lib: HTTP ${result.status} ${result.body}`);
  const { size } = JSON.parse(result.body) as { size: number };
  if (size !== fileBytes) throw new Error(`pipeline-lib: stored ${size} bytes, sent ${fileBytes}`);
}

/** The bytes the server says it stored: the GED's document for the pipeline (201), else the file. */
function checkStored(mode: Mode, result: { status: number; body: string }, fileBytes: number) {
  if (mode === 'pipeline-lib') return checkStoredLib(result, fileBytes);
  if (mode !== 'pipeline' && mode !== 'pipeline-other-db') {
    if (result.status !== 200) throw new Error(`${mode}: HTTP ${result.status} ${result.body}`);
    return;
  }
  if (result.status !== 201) throw new Error(`${mode}: HTTP ${result.status} ${result.body}`);
  const { results } = JSON.parse(result.body) as {
    results: { ok: boolean; document?: { size: number; sha256: string } }[];
  };
  const size = results[0]?.document?.size;
  if (results.length !== 1 || !results[0]?.ok || size !== fileBytes)
    throw new Error(`${mode}: stored ${size} bytes, sent ${fileBytes}: ${result.body}`);
}

interface Measure {
  rates: number[];
  cpuPerGiB: number[];
}

/**
 * The three servers run side by side and take turns (the order rotates each round), so a noisy
 * neighbour on the machine slows all of them alike.
 */
async function compare(dir: string, fileBytes: number) {
  const modes = compareModes;
  const servers = new Map<Mode, Server>();
  const dirs = new Map<Mode, string>();
  const results = new Map<Mode, Measure>();
  try {
    for (const mode of modes) {
      const own = path.join(dir, mode);
      await mkdir(own);
      dirs.set(mode, own);
      servers.set(mode, await startServer(mode, own));
      results.set(mode, { rates: [], cpuPerGiB: [] });
    }
    for (const mode of modes) {
      // Warm-up: JIT, first directories, the hash thread, the database's first insert.
      const result = await upload((servers.get(mode) as Server).target, 64 * MiB);
      checkStored(mode, result, 64 * MiB);
      await clearUploads(mode, dirs.get(mode) as string);
    }
    for (let run = 0; run < runs; run++) {
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[(i + run) % modes.length] as Mode;
        const server = servers.get(mode) as Server;
        const pid = server.child.pid as number;
        const cpuBefore = cpuSeconds(pid);
        const threadsBefore = showThreads ? threadCpuSeconds(pid) : undefined;
        const result = await upload(server.target, fileBytes);
        checkStored(mode, result, fileBytes);
        const measure = results.get(mode) as Measure;
        measure.rates.push(fileBytes / MiB / result.seconds);
        measure.cpuPerGiB.push((cpuSeconds(pid) - cpuBefore) / (fileBytes / 1024 / MiB));
        if (threadsBefore) {
          const perGiB = (seconds: number) => (seconds / (fileBytes / 1024 / MiB)).toFixed(2);
          const parts = [...threadCpuSeconds(pid)]
            .map(([name, seconds]) => [name, seconds - (threadsBefore.get(name) ?? 0)] as const)
            .filter(([, seconds]) => seconds > 0)
            .sort((a, b) => b[1] - a[1])
            .map(([name, seconds]) => `${name} ${perGiB(seconds)}`);
          console.error(
            `${mode} run ${run + 1}: ${measure.rates.at(-1)?.toFixed(0)} MiB/s; cpu-s/GiB by thread: ${parts.join(', ')}`,
          );
        }
        await clearUploads(mode, dirs.get(mode) as string);
      }
    }
    return modes.map((mode) => {
      const m = results.get(mode) as Measure;
      const pid = (servers.get(mode) as Server).child.pid as number;
      return {
        mode,
        ...m,
        median: median(m.rates),
        cpu: median(m.cpuPerGiB),
        hwmMiB: readStatusKiB(pid, 'VmHWM') / 1024,
      };
    });
  } finally {
    for (const server of servers.values()) await stopServer(server);
  }
}

/** The pipeline's one unavoidable extra per byte over a bare write (the other is multipart parsing). */
function sha256Throughput(): number {
  const hash = createHash('sha256');
  const started = process.hrtime.bigint();
  for (let offset = 0; offset + MiB <= pool.length * 16; offset += MiB) {
    const at = offset % pool.length;
    hash.update(pool.subarray(at, at + MiB));
  }
  hash.digest();
  return (pool.length * 16) / MiB / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** One very large upload into a fresh server, sampling its memory all along. */
async function bigUpload(mode: 'pipeline' | 'pipeline-lib', dir: string, bigBytes: number) {
  const server = await startServer(mode, dir);
  try {
    const idleMiB = readStatusKiB(server.child.pid as number, 'VmRSS') / 1024;
    const sampler = sampleRss(server.child.pid as number);
    const { databasePid } = server.target;
    const dbIdleMiB = databasePid ? readStatusKiB(databasePid, 'VmRSS') / 1024 : 0;
    const dbSampler = databasePid ? sampleRss(databasePid) : undefined;
    const result = await upload(server.target, bigBytes);
    const memory = sampler.stop();
    const dbMemory = dbSampler?.stop();
    if (mode === 'pipeline') checkStored(mode, result, bigBytes);
    else checkStoredLib(result, bigBytes);
    console.log(
      `big upload ${bigGB} GB, ${mode.padEnd(12)}: ${(bigBytes / MiB / result.seconds).toFixed(0)} MiB/s, ` +
        `server RSS idle ${idleMiB.toFixed(0)} MiB, peak ${memory.hwmMiB.toFixed(0)} MiB (VmHWM), ` +
        `max sampled VmRSS ${memory.maxRssMiB.toFixed(0)} MiB, upload's own ` +
        `${(memory.maxRssMiB - idleMiB).toFixed(0)} MiB (goal ≤ ${GOALS.peakRssMiB} MiB peak)`,
    );
    if (dbMemory)
      console.log(
        `  its embedded database's own process: RSS idle ${dbIdleMiB.toFixed(0)} MiB, peak ` +
          `${dbMemory.hwmMiB.toFixed(0)} MiB (VmHWM, start-up included), max sampled ${dbMemory.maxRssMiB.toFixed(0)} MiB`,
      );
  } finally {
    await stopServer(server);
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-upload-bench-'));
try {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}; data in ${dir}; ` +
      `${sizeMiB} MiB upload × ${runs} runs per server; pipeline database ${dbKind}; load average ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' ')}`,
  );
  console.log(`SHA-256 alone on this machine: ${sha256Throughput().toFixed(0)} MiB/s (one core)`);
  const fileBytes = sizeMiB * MiB;
  const rows = await compare(dir, fileBytes);
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(10)} median ${r.median.toFixed(0).padStart(5)} MiB/s  runs [${r.rates.map((v) => v.toFixed(0)).join(', ')}]  ` +
        `server CPU ${r.cpu.toFixed(2)} s/GiB  peak RSS ${r.hwmMiB.toFixed(0)} MiB`,
    );
  }
  const medianOf = (mode: Mode) => rows.find((r) => r.mode === mode)?.median;
  const bare = medianOf('bare') as number;
  console.log(
    `ratio pipeline / bare       ${((medianOf('pipeline') as number) / bare).toFixed(2)} (goal ≥ ${GOALS.ratio})`,
  );
  const fsynced = medianOf('bare-fsync');
  if (fsynced !== undefined)
    console.log(
      `ratio pipeline / bare-fsync ${((medianOf('pipeline') as number) / fsynced).toFixed(2)}; ` +
        `bare-fsync / bare ${(fsynced / bare).toFixed(2)} (the same write made durable: about the disk's ` +
        'own rate, which no server that fsyncs before answering can pass; far below 1 where the disk is slower than memory)',
    );
  const other = medianOf('pipeline-other-db');
  if (other !== undefined)
    console.log(
      `ratio pipeline on ${dbKind === 'postgres' ? 'PGlite' : 'PostgreSQL'} / bare ${(other / bare).toFixed(2)}; ` +
        `/ pipeline on ${dbKind === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${(other / (medianOf('pipeline') as number)).toFixed(2)}`,
    );
  const lib = medianOf('pipeline-lib');
  if (lib !== undefined) console.log(`ratio pipeline-lib / bare   ${(lib / bare).toFixed(2)}`);
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );

  const bigBytes = Math.round(bigGB * 1e9);
  if (bigBytes > 0) {
    for (const mode of ['pipeline', 'pipeline-lib'] as const) {
      const bigDir = path.join(dir, `big-${mode}`);
      await mkdir(bigDir);
      await bigUpload(mode, bigDir, bigBytes);
      await rm(bigDir, { recursive: true, force: true });
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
