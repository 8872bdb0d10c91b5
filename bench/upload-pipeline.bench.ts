/**
 * Upload pipeline benchmark: the product's upload path (Fastify + @fastify/multipart + type check
 * + SHA-256 + fsync'd content-addressed write, docs/decisions/060) against a bare node:http server
 * piping the same request body to a file on the same disk, in the same run; then the pipeline
 * server's peak memory during one very large upload.
 *
 *   npx tsx bench/upload-pipeline.bench.ts
 *   BENCH_SIZE_MIB=1024 BENCH_RUNS=3 BENCH_BIG_GB=5 npx tsx bench/upload-pipeline.bench.ts
 *
 * Goals: pipeline throughput ≥ 0.8 × bare; pipeline server peak RSS ≤ 200 MiB during a 5 GB upload.
 * Not measured here: session lookup and the database commit of the row (one indexed insert, constant
 * per upload, independent of the file's size).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const GOALS = { ratio: 0.8, peakRssMiB: 200 };
const MiB = 1024 * 1024;

const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const bigGB = Number(process.env.BENCH_BIG_GB ?? 5);
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');

type Mode = 'pipeline' | 'bare' | 'bare-fsync';

interface Server {
  child: ChildProcess;
  port: number;
}

async function startServer(mode: Mode, dir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(benchDir, 'upload-server.ts'), mode, dir],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)));
  });
  return { child, port };
}

async function stopServer(server: Server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
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
  port: number,
  fileBytes: number,
): Promise<{ seconds: number; status: number; body: string }> {
  const { body, length } = multipartUpload(fileBytes);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload',
        agent: false,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
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
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
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

interface Measure {
  rates: number[];
  cpuPerGiB: number[];
}

/**
 * The three servers run side by side and take turns (the order rotates each round), so a noisy
 * neighbour on the machine slows all of them alike.
 */
async function compare(dir: string, fileBytes: number) {
  const modes: Mode[] = ['bare', 'bare-fsync', 'pipeline'];
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
      await upload((servers.get(mode) as Server).port, 64 * MiB); // warm-up: JIT, first directories
      await emptyDir(dirs.get(mode) as string);
    }
    for (let run = 0; run < runs; run++) {
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[(i + run) % modes.length] as Mode;
        const server = servers.get(mode) as Server;
        const pid = server.child.pid as number;
        const cpuBefore = cpuSeconds(pid);
        const result = await upload(server.port, fileBytes);
        if (result.status !== 200) throw new Error(`${mode}: HTTP ${result.status} ${result.body}`);
        const measure = results.get(mode) as Measure;
        measure.rates.push(fileBytes / MiB / result.seconds);
        measure.cpuPerGiB.push((cpuSeconds(pid) - cpuBefore) / (fileBytes / 1024 / MiB));
        await emptyDir(dirs.get(mode) as string);
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

const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-upload-bench-'));
try {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}; data in ${dir}; ` +
      `${sizeMiB} MiB upload × ${runs} runs per server; load average ${loadavg()
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
  const byMode = (mode: Mode) => rows.find((r) => r.mode === mode) as (typeof rows)[number];
  const ratio = byMode('pipeline').median / byMode('bare').median;
  const ratioFsync = byMode('pipeline').median / byMode('bare-fsync').median;
  console.log(`ratio pipeline / bare       ${ratio.toFixed(2)} (goal ≥ ${GOALS.ratio})`);
  console.log(`ratio pipeline / bare-fsync ${ratioFsync.toFixed(2)}`);
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );

  // One very large upload into a fresh pipeline server, sampling its memory all along.
  const bigBytes = Math.round(bigGB * 1e9);
  const server = await startServer('pipeline', dir);
  try {
    const idleMiB = readStatusKiB(server.child.pid as number, 'VmRSS') / 1024;
    const sampler = sampleRss(server.child.pid as number);
    const result = await upload(server.port, bigBytes);
    const memory = sampler.stop();
    if (result.status !== 200) throw new Error(`big upload: HTTP ${result.status} ${result.body}`);
    const stored = JSON.parse(result.body) as { size: number };
    if (stored.size !== bigBytes) throw new Error(`big upload stored ${stored.size} bytes, sent ${bigBytes}`);
    console.log(
      `big upload ${bigGB} GB: ${(bigBytes / MiB / result.seconds).toFixed(0)} MiB/s, ` +
        `server RSS idle ${idleMiB.toFixed(0)} MiB, peak ${memory.hwmMiB.toFixed(0)} MiB (VmHWM), ` +
        `max sampled VmRSS ${memory.maxRssMiB.toFixed(0)} MiB ` +
        `(goal ≤ ${GOALS.peakRssMiB})`,
    );
  } finally {
    await stopServer(server);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
