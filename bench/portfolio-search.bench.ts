/**
 * Portfolio search-as-you-type benchmark: the first page of `GET /api/files?q=…` on a firm of
 * 20,000 files, against the same server's `/healthz` in the same run (the baseline: what this
 * machine serves when a request does no work).
 *
 *   npx tsx bench/portfolio-search.bench.ts [--files 20000] [--connections 8] [--seconds 10]
 *
 * The parent creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), migrates and seeds it, then forks the real
 * server (buildApp, loopback, logger off) in a child process so the load generator does not
 * share its event loop. Every run is bounded in time and in requests; the database is dropped
 * at the end, whatever happens.
 *
 * Goal: search p95 ≤ 20 ms.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { type Database, openDatabase, runMigrations } from '../apps/server/src/db/connection.ts';
import { clientFiles, contactFiles, contacts, fileOffers, firms, offers, staffMembers, users } from '../apps/server/src/db/schema/index.ts';
import { sirenFromPrefix } from '../apps/server/src/demo/demo-seed.ts';

const GOAL_P95_MS = 20;
const QUERIES = ['bou', 'gar', 'sas', '8123', 'pha', 'mar', 'ele', 'dur', 'sci', 'lef', 'res', 'tra'];

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    'max-requests': { type: 'string', default: '100000' },
    serve: { type: 'string' },
  },
});

// --- the server, in a child process ------------------------------------------------------------

interface ServerReady {
  port: number;
  cookie: string;
}

async function serve(databaseUrl: string) {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    DATA_DIR: path.join(tmpdir(), `passerelle-bench-${process.pid}`),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
  });
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 10 });
  const { app, ctx } = await buildApp({ config, database, startWorkers: false, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');

  const [staff] = await ctx.db.select().from(staffMembers).where(sql`${staffMembers.role} = 'administrateur'`).limit(1);
  if (!staff?.userId) throw new Error('no staff member seeded');
  const session = await ctx.sessions.start({ userId: staff.userId, firmId: staff.firmId, kind: 'staff', principalId: staff.id });
  process.send?.({ port: address.port, cookie: `${app.sessionCookieName}=${session.token}` } satisfies ServerReady);

  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await app.close();
    await database.close();
    process.exit(0);
  });
}

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
  'Boulangerie', 'Boucherie', 'Garage', 'Menuiserie', 'Pharmacie', 'Cabinet Infirmier', 'Restaurant',
  'Transports', 'Fromagerie', 'Plomberie', 'Agence Immobilière', 'Librairie', 'Ferme', 'Studio Graphique',
  'Électricité', 'Fleuriste', 'Coiffure', 'SCI', 'Conseil', 'Domaine Viticole', 'Hôtel', 'Boulangerie-Pâtisserie',
  'Maçonnerie', 'Taxi', 'Auto-École', 'Cave', 'Couverture', 'Charcuterie', 'Opticien', 'Architecte',
];
const NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
  'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure',
  'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément',
  'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson',
];
const SUFFIXES = ['', '', '', ' & Fils', ' du Centre', ' des Tilleuls', ' de la Gare', ' et Associés', ' Frères'];
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
    const [user] = await db.insert(users).values({ issuer: 'https://idp.bench', subject: email, email }).returning();
    const [member] = await db
      .insert(staffMembers)
      .values({ firmId: firm.id, userId: user?.id, email, firstName, lastName, role })
      .returning();
    if (member) staffIds.push(member.id);
  }
  await db
    .insert(offers)
    .values({ code: 'start', label: 'Start', description: 'Offre Start', capabilities: ['ged.read'], position: 1 })
    .onConflictDoNothing();

  const BATCH = 1_000;
  for (let start = 0; start < fileCount; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, fileCount - start) }, (_, k) => {
      const i = start + k;
      // About one SIREN in forty starts with 8123, as a run of registrations would.
      const prefix = next() < 0.025 ? `8123${String(Math.floor(next() * 1e4)).padStart(4, '0')}` : String(Math.floor(10_000_000 + next() * 89_999_999));
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
      await db.insert(fileOffers).values(withOffer.map((f) => ({ fileId: f.id, firmId: firm.id, offerCode: 'start' })));
      const people = await db
        .insert(contacts)
        .values(withOffer.map((f, k) => ({ firmId: firm.id, lastName: pick(NAMES), firstName: 'Client', email: `client-${start + k}-${f.id.slice(0, 8)}@client.test` })))
        .returning({ id: contacts.id });
      await db.insert(contactFiles).values(people.map((p, k) => ({ contactId: p.id, fileId: withOffer[k]?.id as string, firmId: firm.id })));
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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function run(
  base: string,
  cookie: string,
  paths: string[],
  connections: number,
  seconds: number,
  maxRequests: number,
): Promise<RunResult> {
  const times: number[] = [];
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    maxOverallRequests: maxRequests,
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

const ms = (v: number) => `${v.toFixed(1)} ms`;
const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')} req/s`;

async function main() {
  const fileCount = Number(args.files);
  const connections = Number(args.connections);
  const seconds = Number(args.seconds);
  const maxRequests = Number(args['max-requests']);
  const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `passerelle_bench_${process.pid}`;
  const target = new URL(baseUrl);
  target.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const pgVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version;
  await admin.query(`create database "${name}"`);
  let child: ReturnType<typeof fork> | undefined;
  try {
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 4 });
    await runMigrations(database);
    let t = performance.now();
    await seed(database, fileCount);
    console.log(`seeded ${fileCount.toLocaleString('en-US')} files in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await database.close();

    child = fork(fileURLToPath(import.meta.url), ['--serve', target.toString()], { stdio: 'inherit' });
    const [ready] = (await once(child, 'message')) as [ServerReady];
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
    await run(base, ready.cookie, [...searchPaths, '/healthz'], connections, 2, 5_000); // warm-up
    const health = await run(base, '', ['/healthz'], connections, seconds, maxRequests);
    const search = await run(base, ready.cookie, searchPaths, connections, seconds, maxRequests);
    const single = await run(base, ready.cookie, searchPaths, 1, Math.min(seconds, 5), maxRequests);

    for (const [label, r] of [['healthz', health], ['search', search], ['search, 1 connection', single]] as const) {
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }

    const cpu = cpus()[0]?.model ?? 'unknown';
    console.log('');
    console.log(`machine: ${cpus().length} CPUs (${cpu}), Node ${process.version}, PostgreSQL ${pgVersion}`);
    console.log(`files: ${fileCount.toLocaleString('en-US')}; connections: ${connections}; ${seconds} s per run`);
    console.log(`/healthz                     ${rate(health.rps)}  p50 ${ms(health.p50)}  p95 ${ms(health.p95)}  p99 ${ms(health.p99)}`);
    console.log(`search (${connections} connections)     ${rate(search.rps)}  p50 ${ms(search.p50)}  p95 ${ms(search.p95)}  p99 ${ms(search.p99)}`);
    console.log(`search (1 connection)        ${rate(single.rps)}  p50 ${ms(single.p50)}  p95 ${ms(single.p95)}  p99 ${ms(single.p99)}`);
    console.log(`ratio search / healthz: ${(search.rps / health.rps).toFixed(3)}`);
    const verdict = search.p95 <= GOAL_P95_MS ? 'MET' : 'MISSED';
    console.log(`goal search p95 ≤ ${GOAL_P95_MS} ms at ${connections} connections: ${verdict} (${ms(search.p95)})`);
    console.log(`measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (verdict === 'MISSED') process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null) {
      child.send('stop');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill();
    }
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

if (args.serve) await serve(args.serve);
else await main();
