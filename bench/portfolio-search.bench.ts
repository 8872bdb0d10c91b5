/**
 * Portfolio search-as-you-type benchmark: the first page of `GET /api/files?q=…` on a firm of
 * 20,000 files, against the same server's `/healthz` in the same run (the baseline: what this
 * machine serves when a request does no work).
 *
 *   npx tsx bench/portfolio-search.bench.ts [--files 20000] [--connections 8] [--seconds 10] [--rate 50]
 *
 * The parent creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), migrates and seeds it, then forks the real
 * server (buildApp, loopback, logger off) in a child process so the load generator does not
 * share its event loop. Every run is bounded in time and in requests; the database is dropped
 * at the end, whatever happens.
 *
 * Runs: /healthz and the search as fast as `--connections` clients can go (throughput, and
 * their ratio); the search from one client typing alone; and the search at a steady `--rate`
 * requests/s, open loop (latency under a busy firm's load: 50 searches/s is some 25 people
 * typing at once, two keystrokes a second after the debounce).
 *
 * Goal: search p95 ≤ 20 ms, alone and at the steady rate. The saturated run is reported, not
 * judged: there the latency only says how long the queue is.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase, runMigrations } from '../apps/server/src/db/connection.ts';
import {
  clientFiles,
  contactFiles,
  contacts,
  fileOffers,
  firms,
  offers,
  staffMembers,
  users,
} from '../apps/server/src/db/schema/index.ts';
import { sirenFromPrefix } from '../apps/server/src/demo/demo-seed.ts';
import { type ServerReady, serve } from './support/signed-in-server.ts';

const GOAL_P95_MS = 20;
const QUERIES = ['bou', 'gar', 'sas', '8123', 'pha', 'mar', 'ele', 'dur', 'sci', 'lef', 'res', 'tra'];

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    'max-requests': { type: 'string', default: '100000' },
    serve: { type: 'string' },
  },
});

// --- the server, in a child process ------------------------------------------------------------

// --- seed -------------------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32): the same portfolio on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIVITIES = [
  'Boulangerie',
  'Boucherie',
  'Garage',
  'Menuiserie',
  'Pharmacie',
  'Cabinet Infirmier',
  'Restaurant',
  'Transports',
  'Fromagerie',
  'Plomberie',
  'Agence Immobilière',
  'Librairie',
  'Ferme',
  'Studio Graphique',
  'Électricité',
  'Fleuriste',
  'Coiffure',
  'SCI',
  'Conseil',
  'Domaine Viticole',
  'Hôtel',
  'Boulangerie-Pâtisserie',
  'Maçonnerie',
  'Taxi',
  'Auto-École',
  'Cave',
  'Couverture',
  'Charcuterie',
  'Opticien',
  'Architecte',
];
const NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefèvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'André',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'François',
  'Martinez',
  'Legrand',
  'Garnier',
  'Faure',
  'Rousseau',
  'Blanc',
  'Guérin',
  'Muller',
  'Henry',
  'Roussel',
  'Nicolas',
  'Perrin',
  'Morin',
  'Mathieu',
  'Clément',
  'Gauthier',
  'Dumont',
  'Lopez',
  'Fontaine',
  'Chevalier',
  'Robin',
  'Masson',
];
const SUFFIXES = [
  '',
  '',
  '',
  ' & Fils',
  ' du Centre',
  ' des Tilleuls',
  ' de la Gare',
  ' et Associés',
  ' Frères',
];
const FORMS = ['SARL', 'SAS', 'SASU', 'EURL', 'EI', 'SCI', 'SCM', 'SELARL', 'EARL', 'SNC'];
const STAFF = [
  ['Camille', 'Martin', 'administrateur'],
  ['Julien', 'Bernard', 'collaborateur'],
  ['Sophie', 'Durand', 'collaborateur'],
  ['Nicolas', 'Petit', 'collaborateur'],
  ['Émilie', 'Lefèvre', 'collaborateur'],
  ['Thomas', 'Garnier', 'collaborateur'],
  ['Inès', 'Roussel', 'collaborateur'],
  ['Hugo', 'Faure', 'lecture_seule'],
] as const;

async function seed(database: Database, fileCount: number) {
  const next = random(2026);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const db = database.db;
  const [firm] = await db.insert(firms).values({ slug: 'cabinet-bench', name: 'Cabinet Bench' }).returning();
  if (!firm) throw new Error('firm');
  const staffIds: string[] = [];
  for (const [firstName, lastName, role] of STAFF) {
    const email = `${firstName}.${lastName}@cabinet-bench.test`.toLowerCase();
    const [user] = await db
      .insert(users)
      .values({ issuer: 'https://idp.bench', subject: email, email })
      .returning();
    const [member] = await db
      .insert(staffMembers)
      .values({ firmId: firm.id, userId: user?.id, email, firstName, lastName, role })
      .returning();
    if (member) staffIds.push(member.id);
  }
  await db
    .insert(offers)
    .values({
      code: 'start',
      label: 'Start',
      description: 'Offre Start',
      capabilities: ['ged.read'],
      position: 1,
    })
    .onConflictDoNothing();

  const BATCH = 1_000;
  for (let start = 0; start < fileCount; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, fileCount - start) }, (_, k) => {
      const i = start + k;
      // About one SIREN in forty starts with 8123, as a run of registrations would.
      const prefix =
        next() < 0.025
          ? `8123${String(Math.floor(next() * 1e4)).padStart(4, '0')}`
          : String(Math.floor(10_000_000 + next() * 89_999_999));
      return {
        firmId: firm.id,
        code: `CLI${String(i + 1).padStart(5, '0')}`,
        name: `${pick(ACTIVITIES)} ${pick(NAMES)}${pick(SUFFIXES)}`,
        siren: next() < 0.9 ? sirenFromPrefix(prefix) : null,
        legalForm: pick(FORMS),
        fiscalYearEnd: next() < 0.7 ? '2026-12-31' : pick(['2026-03-31', '2026-06-30', '2026-09-30']),
        responsibleId: next() < 0.95 ? pick(staffIds) : null,
      };
    });
    const inserted = await db.insert(clientFiles).values(rows).returning({ id: clientFiles.id });
    // A fifth of the files have the Start offer and a contact, so the page's subqueries find rows.
    const withOffer = inserted.filter(() => next() < 0.2);
    if (withOffer.length > 0) {
      await db
        .insert(fileOffers)
        .values(withOffer.map((f) => ({ fileId: f.id, firmId: firm.id, offerCode: 'start' })));
      const people = await db
        .insert(contacts)
        .values(
          withOffer.map((f, k) => ({
            firmId: firm.id,
            lastName: pick(NAMES),
            firstName: 'Client',
            email: `client-${start + k}-${f.id.slice(0, 8)}@client.test`,
          })),
        )
        .returning({ id: contacts.id });
      await db
        .insert(contactFiles)
        .values(
          people.map((p, k) => ({ contactId: p.id, fileId: withOffer[k]?.id as string, firmId: firm.id })),
        );
    }
  }
  await db.execute(sql`analyze`);
}

// --- measure ----------------------------------------------------------------------------------

interface RunResult {
  requests: number;
  seconds: number;
  rps: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

interface RunOptions {
  connections: number;
  seconds: number;
  maxRequests: number;
}

/** Closed loop: each client sends its next request as soon as the last one answers. */
async function run(base: string, cookie: string, paths: string[], options: RunOptions): Promise<RunResult> {
  const times: number[] = [];
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    maxOverallRequests: options.maxRequests,
    headers: { cookie },
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const [result] = (await once(instance, 'done')) as [autocannon.Result];
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

/**
 * Open loop: requests leave on a fixed schedule whether or not earlier ones have answered, and
 * each latency counts from the moment its request was due, so a slow answer cannot hide the
 * ones queued behind it (coordinated omission).
 */
async function runSteady(base: string, cookie: string, paths: string[], rps: number, options: RunOptions) {
  const count = Math.min(options.maxRequests, Math.round(rps * options.seconds));
  const times: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      fetch(`${base}${paths[i % paths.length]}`, { headers: { cookie } })
        .then(async (res) => {
          await res.arrayBuffer();
          times.push(performance.now() - due);
          if (res.status < 200 || res.status > 299) non2xx++;
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests: count,
    seconds,
    rps: count / seconds,
    non2xx,
    errors,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  } satisfies RunResult;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const rate = (v: number) => Math.round(v).toLocaleString('en-US');

async function main() {
  const fileCount = Number(args.files);
  const connections = Number(args.connections);
  const seconds = Number(args.seconds);
  const maxRequests = Number(args['max-requests']);
  const rateLimit = Number(args.rate);
  const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `passerelle_bench_${process.pid}`;
  const target = new URL(baseUrl);
  target.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const pgVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]
    ?.server_version;
  await admin.query(`create database "${name}"`);
  let child: ReturnType<typeof fork> | undefined;
  let dropped = false;
  const dropDatabase = async () => {
    if (dropped) return;
    dropped = true;
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      child?.kill();
      void dropDatabase().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
    });
  }
  try {
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 4 });
    await runMigrations(database);
    let t = performance.now();
    await seed(database, fileCount);
    console.log(
      `seeded ${fileCount.toLocaleString('en-US')} files in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await database.close();

    child = fork(fileURLToPath(import.meta.url), ['--serve', target.toString()], { stdio: 'inherit' });
    const started = child;
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      started.once('message', (message) => resolve(message as ServerReady));
      started.once('exit', (code) => reject(new Error(`the server exited before listening (code ${code})`)));
    });
    const base = `http://127.0.0.1:${ready.port}`;
    const searchPaths = QUERIES.map((q) => `/api/files?q=${encodeURIComponent(q)}&pageSize=50`);

    // Every query answers, and answers something: a benchmark of errors would measure nothing.
    for (const p of searchPaths) {
      const res = await fetch(`${base}${p}`, { headers: { cookie: ready.cookie } });
      const body = (await res.json()) as { total?: number };
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
      console.log(`  ${p.padEnd(40)} total ${body.total}`);
    }

    t = performance.now();
    const loadBefore = loadavg()[0] ?? 0;
    const bounds = { connections, seconds, maxRequests };
    await run(base, ready.cookie, [...searchPaths, '/healthz'], {
      ...bounds,
      seconds: 2,
      maxRequests: 5_000,
    }); // warm-up
    const runs = [
      {
        label: `/healthz, ${connections} clients flat out`,
        result: await run(base, '', ['/healthz'], bounds),
      },
      {
        label: `search, ${connections} clients flat out`,
        result: await run(base, ready.cookie, searchPaths, bounds),
      },
      {
        label: 'search, 1 client alone',
        result: await run(base, ready.cookie, searchPaths, { ...bounds, connections: 1 }),
      },
      {
        label: `search, steady ${rateLimit} req/s`,
        result: await runSteady(base, ready.cookie, searchPaths, rateLimit, bounds),
      },
    ];
    for (const { label, result } of runs) {
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    const [health, flatOut, alone, steady] = runs.map((r) => r.result) as [
      RunResult,
      RunResult,
      RunResult,
      RunResult,
    ];

    console.log('');
    console.log(
      `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, PostgreSQL ${pgVersion}`,
    );
    console.log(
      `files: ${fileCount.toLocaleString('en-US')}; ${seconds} s per run; queries: ${QUERIES.join(', ')}`,
    );
    // Other work on the machine shows up here: on 2 CPUs, a load above ~2 before the runs
    // means the figures measure the neighbours as much as the server.
    console.log(
      `load average (1 min) before the runs: ${loadBefore.toFixed(2)}, after: ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
    console.log('');
    console.log(`| run | requests | req/s | p50 | p95 | p99 |`);
    console.log(`|---|---:|---:|---:|---:|---:|`);
    for (const { label, result: r } of runs) {
      console.log(
        `| ${label} | ${r.requests.toLocaleString('en-US')} | ${rate(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} |`,
      );
    }
    console.log('');
    console.log(`ratio search / healthz (flat out): ${(flatOut.rps / health.rps).toFixed(3)}`);
    const met = alone.p95 <= GOAL_P95_MS && steady.p95 <= GOAL_P95_MS;
    console.log(
      `goal search p95 ≤ ${GOAL_P95_MS} ms: ${met ? 'MET' : 'MISSED'} (alone ${ms(alone.p95)}, steady ${rateLimit} req/s ${ms(steady.p95)})`,
    );
    console.log(`measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (!met) process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null) {
      child.send('stop');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill();
    }
    await dropDatabase();
  }
}

if (args.serve) await serve(args.serve);
else await main();
