/**
 * GED listing benchmark: keyset pages of 50 documents of one folder holding 100,000, through
 * `GET /api/ged/folders/:folderId/documents?cursor=…&limit=50`, against the same server's
 * `/healthz` in the same run (the baseline: what this machine serves when a request does no work).
 *
 *   npx tsx bench/ged-listing.bench.ts [--documents 100000] [--connections 50] [--seconds 10]
 *
 * The parent creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), migrates it, seeds one firm, one file, one folder
 * and its documents with `insert … select … from generate_series` (blob keys are random: listing
 * never reads a blob), then forks the real server (buildApp, compiled as `npm start` runs it, loopback, logger off) in a child
 * process so the load generator does not share its event loop. It walks the whole folder once
 * through the API (every live document exactly once: the pagination is checked, not assumed), keeps cursors spread over the folder, and the load run rotates through them, so most
 * pages are deep ones. Every run is bounded in time and in requests; the database is dropped at
 * the end, whatever happens.
 *
 * Runs: /healthz, then `/api/session` (authenticated, one query of its own: where the fixed cost
 * of a signed-in request that reads the database shows), then the listing as shipped (the
 * folder-page cache on, decision 122), each `--connections` clients flat out; then, for the
 * record, the listing while one document of the folder changes ten times a second (each change
 * drops the folder's cached pages), the listing on a second server with the cache off (every page
 * read from PostgreSQL), and the listing from one client alone. BENCH_CPU_PROF=<dir> profiles the
 * first server (--cpu-prof); BENCH_SERVER_NODE_FLAGS and BENCH_LOAD_NODE_FLAGS pass node flags (e.g.
 * --trace-gc) to the servers and to the load generator.
 *
 * Goals: listing / healthz throughput ≥ 0.35; listing p99 ≤ 30 ms (both at `--connections`).
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fillPlaceholders } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, runMigrations } from '../apps/server/src/db/connection.ts';
import { folderPageQuery } from '../apps/server/src/modules/ged/ged.repository.ts';
import { compiledEntry, type ServerReady, serve } from './support/signed-in-server.ts';

const GOAL_RATIO = 0.35;
const GOAL_P99_MS = 30;
const PAGE = 50;
/** How many cursors the load run rotates through, spread evenly over the folder. */
const CURSORS = 40;

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    'max-requests': { type: 'string', default: '500000' },
    serve: { type: 'string' },
  },
});

// --- the server, in a child process ------------------------------------------------------------

// --- seed -------------------------------------------------------------------------------------

const WORDS = [
  'Facture',
  'Relevé bancaire',
  'Avoir',
  'Contrat',
  'Bulletin de paie',
  'Note de frais',
  'Devis',
  'Quittance de loyer',
  'Attestation',
  'Déclaration TVA',
  'Liasse fiscale',
  'Procès-verbal',
  'Statuts',
  'Bon de commande',
  'Échéancier',
  'Courrier',
];
const PARTIES = [
  'Dupont',
  'Électricité Martin',
  'Orange',
  'EDF',
  'Banque Populaire',
  'URSSAF',
  'Lefèvre',
  'Amazon',
];

/** One firm, its administrator, one file, one folder and `count` documents; returns the ids. */
async function seed(client: pg.Client, count: number) {
  const one = async (text: string, values: unknown[] = []) =>
    (await client.query<{ id: string }>(text, values)).rows[0]?.id as string;
  const firmId = await one(
    `insert into firms (slug, name) values ('cabinet-bench', 'Cabinet Bench') returning id`,
  );
  const userId = await one(
    `insert into users (issuer, subject, email) values ('https://idp.bench', 'admin@bench.test', 'admin@bench.test') returning id`,
  );
  const staffId = await one(
    `insert into staff_members (firm_id, user_id, email, first_name, last_name, role)
     values ($1, $2, 'admin@bench.test', 'Camille', 'Martin', 'administrateur') returning id`,
    [firmId, userId],
  );
  const fileId = await one(
    `insert into client_files (firm_id, code, name, responsible_id) values ($1, 'CLI00001', 'Boulangerie Dupont', $2) returning id`,
    [firmId, staffId],
  );
  const folderId = await one(
    `insert into ged_folders (firm_id, file_id, name) values ($1, $2, 'Comptabilité') returning id`,
    [firmId, fileId],
  );
  // Names repeat (same word, party and month) so the id tie-break of the keyset is exercised;
  // one document in fifty is in the bin (outside the partial index and the listing).
  await client.query(
    `insert into ged_documents (firm_id, file_id, folder_id, name, mime, size, sha256, blob_key,
       fiscal_year, visible_to_client, added_by_type, added_by_id, added_by_name, added_at, deleted_at, deleted_by)
     select $1, $2, $3,
       ($4::text[])[1 + g % array_length($4::text[], 1)] || ' ' || ($5::text[])[1 + (g / 7) % array_length($5::text[], 1)]
         || ' ' || (2020 + g % 6) || '-' || lpad((1 + (g / 3) % 12)::text, 2, '0')
         || case when g % 5 = 0 then '' else ' n°' || (g % 4000) end || '.pdf',
       'application/pdf', 20000 + (g * 7919) % 900000,
       encode(sha256(('doc-' || g)::bytea), 'hex'),
       md5(random()::text) || md5(random()::text),
       2020 + g % 6, g % 3 <> 0, 'staff', $6, 'Camille Martin',
       now() - make_interval(mins => g),
       case when g % 50 = 0 then now() else null end,
       case when g % 50 = 0 then $6::uuid else null end
     from generate_series(1, $7::int) g`,
    [firmId, fileId, folderId, WORDS, PARTIES, staffId, count],
  );
  // Vacuumed now so that autovacuum does not wake up for the new rows in the middle of a run.
  await client.query('vacuum (analyze)');
  const live = Number(
    (
      await client.query<{ n: string }>(
        'select count(*) as n from ged_documents where folder_id = $1 and deleted_at is null',
        [folderId],
      )
    ).rows[0]?.n,
  );
  return { firmId, fileId, folderId, live };
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

/**
 * Closed loop: each client sends its next request as soon as the last one answers. The load
 * generator runs in a process of its own (support/load-runner.mjs, plain node), so the harness's
 * heap and garbage collections never add to the latencies measured.
 */
async function run(
  base: string,
  cookie: string,
  paths: string[],
  options: { connections: number; seconds: number; maxRequests: number },
): Promise<RunResult> {
  const runner = spawn(
    process.execPath,
    [
      // BENCH_LOAD_NODE_FLAGS: node/V8 flags for the load generator (e.g. --trace-gc).
      ...(process.env.BENCH_LOAD_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      fileURLToPath(new URL('./support/load-runner.mjs', import.meta.url)),
      JSON.stringify({
        url: base,
        connections: options.connections,
        seconds: options.seconds,
        maxRequests: options.maxRequests,
        headers: cookie ? { cookie } : {},
        paths,
      }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  runner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = (await once(runner, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  // The result is the last line; anything before it (e.g. --trace-gc) is passed on to stderr.
  const lines = output.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  const result = JSON.parse(last) as Omit<RunResult, 'rps'>;
  return { ...result, rps: result.requests / result.seconds };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const rate = (v: number) => Math.round(v).toLocaleString('en-US');

async function main() {
  const count = Number(args.documents);
  const connections = Number(args.connections);
  const seconds = Number(args.seconds);
  const maxRequests = Number(args['max-requests']);
  const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `passerelle_bench_${process.pid}`;
  const target = new URL(baseUrl);
  target.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const pgVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]
    ?.server_version;
  await admin.query(`create database "${name}"`);
  const children: ReturnType<typeof fork>[] = [];
  let client: pg.Client | undefined;
  let dropped = false;
  const dropDatabase = async () => {
    if (dropped) return;
    dropped = true;
    await client?.end().catch(() => undefined);
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) child.kill();
      void dropDatabase().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
    });
  }
  try {
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 2 });
    await runMigrations(database);
    client = new pg.Client({ connectionString: target.toString() });
    await client.connect();
    let t = performance.now();
    const seeded = await seed(client, count);
    console.log(
      `seeded ${count.toLocaleString('en-US')} documents (${seeded.live.toLocaleString('en-US')} live) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // Two servers on the same database: the product as shipped (folder-page cache on, decision
    // 122) and the same with the cache off, where every page is read from PostgreSQL.
    // Both run compiled, as `npm start` runs the product.
    const { program, nodeFlags } = await compiledEntry(fileURLToPath(import.meta.url), 'bench-ged-listing');
    const startServer = async (cacheMb?: string) => {
      const started = fork(program, ['--serve', target.toString()], {
        stdio: 'inherit',
        env: { ...process.env, ...(cacheMb === undefined ? {} : { GED_PAGE_CACHE_MB: cacheMb }) },
        execArgv: [
          ...nodeFlags, // as `npm start` runs the server
          // BENCH_SERVER_NODE_FLAGS: node/V8 flags for both servers (e.g. --trace-gc), space-separated.
          ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
          ...(process.env.BENCH_CPU_PROF && cacheMb === undefined
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
        ],
      });
      children.push(started);
      return new Promise<ServerReady>((resolve, reject) => {
        started.once('message', (message) => resolve(message as ServerReady));
        started.once('exit', (code) =>
          reject(new Error(`the server exited before listening (code ${code})`)),
        );
      });
    };
    const ready = await startServer();
    const uncached = await startServer('0');
    const base = `http://127.0.0.1:${ready.port}`;
    const listPath = (cursor?: string) =>
      `/api/ged/folders/${seeded.folderId}/documents?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;

    // Walk the whole folder once: every live document exactly once, in (name, id) order.
    t = performance.now();
    const pageCursors: string[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pageNo = 0; pageNo < seeded.live / PAGE + 2; pageNo++) {
      const res = await fetch(`${base}${listPath(cursor)}`, { headers: { cookie: ready.cookie } });
      if (res.status !== 200) throw new Error(`${listPath(cursor)} answered ${res.status}`);
      const body = (await res.json()) as { items: { id: string; name: string }[]; nextCursor: string | null };
      for (const item of body.items) {
        if (seen.has(item.id)) throw new Error(`document ${item.id} listed twice`);
        seen.add(item.id);
      }
      if (!body.nextCursor) break;
      pageCursors.push(body.nextCursor);
      cursor = body.nextCursor;
    }
    if (seen.size !== seeded.live) throw new Error(`walked ${seen.size} documents, expected ${seeded.live}`);
    console.log(
      `walked ${seen.size.toLocaleString('en-US')} documents in ${pageCursors.length + 1} pages, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const step = Math.max(1, Math.floor(pageCursors.length / CURSORS));
    const chosen = pageCursors.filter((_, i) => i % step === step - 1).slice(0, CURSORS);
    const listPaths = [listPath(), ...chosen.map((c) => listPath(c))];

    // The plan of a deep page, with the repository's own statement (folder, file scope and page).
    const deep = JSON.parse(
      Buffer.from(chosen[Math.floor(chosen.length / 2)] as string, 'base64url').toString('utf8'),
    ) as [string, string];
    const statement = folderPageQuery(database.db, true).getQuery();
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers, costs off) ${statement.sql}`,
      fillPlaceholders(statement.params, {
        folderId: seeded.folderId,
        firmId: seeded.firmId,
        afterName: deep[0],
        afterId: deep[1],
        limit: PAGE + 1,
      }),
    );
    await database.close();

    // A firm at work: one document of the folder changes ten times a second (by SQL: its trigger
    // notifies the servers, as any writer's change would), each change dropping the folder's pages.
    const churnIds = (
      await client.query<{ id: string }>(
        'select id from ged_documents where folder_id = $1 and deleted_at is null order by id limit 10',
        [seeded.folderId],
      )
    ).rows.map((r) => r.id);
    const writer = client;
    const withChurn = async <T>(work: () => Promise<T>): Promise<{ result: T; changes: number }> => {
      let changes = 0;
      let stop = false;
      const loop = (async () => {
        while (!stop) {
          await writer.query('update ged_documents set version = version + 1 where id = $1', [
            churnIds[changes % churnIds.length],
          ]);
          changes++;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      try {
        return { result: await work(), changes };
      } finally {
        stop = true;
        await loop;
      }
    };

    const loadBefore = loadavg()[0] ?? 0;
    const bounds = { connections, seconds, maxRequests };
    const uncachedBase = `http://127.0.0.1:${uncached.port}`;
    t = performance.now();
    const warm = { ...bounds, seconds: 2, maxRequests: 20_000 };
    await run(base, ready.cookie, [...listPaths, '/healthz'], warm);
    await run(uncachedBase, uncached.cookie, listPaths, warm);
    const churn = await withChurn(() => run(base, ready.cookie, listPaths, bounds));
    const runs = [
      { label: `/healthz, ${connections} connections`, result: await run(base, '', ['/healthz'], bounds) },
      {
        label: `/api/session (authenticated, one query), ${connections} connections`,
        result: await run(base, ready.cookie, ['/api/session'], bounds),
      },
      {
        label: `**listing** (page of ${PAGE}, ${listPaths.length} cursors), ${connections} connections`,
        result: await run(base, ready.cookie, listPaths, bounds),
      },
      {
        label: `listing while the folder changes ${(churn.changes / seconds).toFixed(0)} times/s, ${connections} connections`,
        result: churn.result,
      },
      {
        label: `listing, folder-page cache off (every page from PostgreSQL), ${connections} connections`,
        result: await run(uncachedBase, uncached.cookie, listPaths, bounds),
      },
      {
        label: `listing, 1 connection`,
        result: await run(base, ready.cookie, listPaths, {
          ...bounds,
          connections: 1,
          seconds: Math.min(5, seconds),
        }),
      },
    ];
    for (const { label, result } of runs) {
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    const [health, , listing, churned, cold] = runs.map((r) => r.result) as RunResult[] as [
      RunResult,
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
      `load average (1 min) before the runs: ${loadBefore.toFixed(2)}, after: ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
    console.log('');
    console.log('plan of a deep page (EXPLAIN ANALYZE):');
    for (const row of plan.rows) console.log(`    ${row['QUERY PLAN']}`);
    console.log('');
    console.log(`| run | requests | req/s | p50 | p95 | p99 |`);
    console.log(`|---|---:|---:|---:|---:|---:|`);
    for (const { label, result: r } of runs) {
      console.log(
        `| ${label} | ${r.requests.toLocaleString('en-US')} | ${rate(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} |`,
      );
    }
    console.log('');
    const ratio = listing.rps / health.rps;
    const ratioMet = ratio >= GOAL_RATIO;
    const p99Met = listing.p99 <= GOAL_P99_MS;
    console.log(
      `ratio listing / healthz: ${ratio.toFixed(3)} (goal ≥ ${GOAL_RATIO}: ${ratioMet ? 'MET' : 'MISSED'})`,
    );
    console.log(`listing p99: ${ms(listing.p99)} (goal ≤ ${GOAL_P99_MS} ms: ${p99Met ? 'MET' : 'MISSED'})`);
    console.log(
      `for the record: ratio while the folder changes ${(churned.rps / health.rps).toFixed(3)} (p99 ${ms(churned.p99)}); cache off ${(cold.rps / health.rps).toFixed(3)} (p99 ${ms(cold.p99)})`,
    );
    console.log(`measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (!ratioMet || !p99Met) process.exitCode = 1;
  } finally {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      child.send('stop');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill();
    }
    await dropDatabase();
  }
}

if (args.serve) await serve(args.serve);
else await main();
