/**
 * GED search benchmark: `GET /api/files/:fileId/ged/search?q=…` (French full text, ranked, with
 * snippets) over 1,000,000 documents of one firm, through the real server.
 *
 *   npx tsx bench/ged-search.bench.ts [--documents 1000000] [--files 200] [--big 100000] [--rounds 2]
 *
 * The parent creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), migrates it and seeds one firm of `--files`
 * files: one "big" file holding `--big` documents (the worst case: search is per file), the
 * others sharing the rest evenly. Names and PDF text are drawn in SQL (`generate_series` and
 * arrays) from a French accounting vocabulary with a geometric distribution, so some words are in
 * most documents and others in few; the stored `search_vector` is computed by PostgreSQL from
 * them as in production. The GIN index is dropped during the bulk insert and rebuilt after with
 * the migration's definition (same index, built once instead of row by row). Then it forks the
 * real server (buildApp, loopback, logger off) and sends the queries one at a time (a person
 * searching waits for the answer): each query on the big file and on `--sample` ordinary files,
 * `--rounds` times. Every request is bounded by a timeout; the database is dropped at the end.
 * The plans printed are those of the repository's own statements (auto_explain), whichever of
 * the bounded-ranking steps a query takes.
 *
 * Goal: search p95 ≤ 100 ms (reported for the ordinary files and for the big file).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { type Db, openDatabase, runMigrations } from '../apps/server/src/db/connection.ts';
import * as schema from '../apps/server/src/db/schema/index.ts';
import { searchBounds, searchDocuments } from '../apps/server/src/modules/ged/ged.repository.ts';
import { type ServerReady, serve } from './support/signed-in-server.ts';

const GOAL_P95_MS = 100;

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '1000000' },
    files: { type: 'string', default: '200' },
    big: { type: 'string', default: '100000' },
    sample: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    serve: { type: 'string' },
  },
});

/** Common, medium, rare and absent terms; phrases and exclusions as `websearch_to_tsquery` reads them. */
const QUERIES: { q: string; kind: 'common' | 'medium' | 'rare' | 'absent' }[] = [
  { q: 'facture', kind: 'common' },
  { q: 'montant', kind: 'common' },
  { q: 'tva', kind: 'common' },
  { q: 'paiement banque', kind: 'common' },
  { q: 'factures -avoir', kind: 'common' },
  { q: 'loyer', kind: 'medium' },
  { q: 'amortissement', kind: 'medium' },
  { q: '"note de frais"', kind: 'medium' },
  { q: 'immobilisations corporelles', kind: 'medium' },
  { q: 'nantissement', kind: 'rare' },
  { q: 'hypothèque', kind: 'rare' },
  { q: 'Vauban', kind: 'rare' },
  { q: 'affacturage créance', kind: 'rare' },
  { q: 'xylophone', kind: 'absent' },
];

// --- the server, in a child process ------------------------------------------------------------

// --- seed -------------------------------------------------------------------------------------

/** Most frequent first: the draw favours the head of the list (power of a uniform). */
const VOCABULARY = [
  'facture',
  'montant',
  'total',
  'TVA',
  'euros',
  'date',
  'paiement',
  'client',
  'fournisseur',
  'société',
  'référence',
  'échéance',
  'règlement',
  'compte',
  'banque',
  'virement',
  'hors',
  'taxes',
  'net',
  'payer',
  'adresse',
  'siège',
  'social',
  'capital',
  'SIRET',
  'numéro',
  'période',
  'exercice',
  'comptable',
  'charges',
  'prestations',
  'services',
  'livraison',
  'commande',
  'quantité',
  'prix',
  'unitaire',
  'remise',
  'frais',
  'note',
  'de',
  'la',
  'le',
  'des',
  'du',
  'pour',
  'avec',
  'sur',
  'et',
  'mois',
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
  'loyer',
  'bail',
  'locaux',
  'commerciaux',
  'salaire',
  'cotisations',
  'URSSAF',
  'retraite',
  'prévoyance',
  'mutuelle',
  'bulletin',
  'congés',
  'payés',
  'heures',
  'supplémentaires',
  'déclaration',
  'impôt',
  'sociétés',
  'acompte',
  'liasse',
  'fiscale',
  'bilan',
  'actif',
  'passif',
  'résultat',
  'amortissement',
  'immobilisations',
  'corporelles',
  'incorporelles',
  'stocks',
  'marchandises',
  'provision',
  'créances',
  'dettes',
  'emprunt',
  'intérêts',
  'assurance',
  'véhicule',
  'carburant',
  'entretien',
  'réparation',
  'électricité',
  'téléphone',
  'internet',
  'abonnement',
  'honoraires',
  'expert',
  'avocat',
  'notaire',
  'contrat',
  'avenant',
  'résiliation',
  'caution',
  'garantie',
  'dépôt',
  'avoir',
  'rectificatif',
  'relance',
  'pénalités',
  'retard',
  'litige',
  'crédit-bail',
  'leasing',
  'subvention',
  'affacturage',
  'créance',
  'cession',
  'fonds',
  'nantissement',
  'hypothèque',
  'privilège',
];
const DOC_TYPES = [
  'Facture',
  'Facture',
  'Facture',
  'Relevé bancaire',
  'Avoir',
  'Contrat de bail',
  'Bulletin de paie',
  'Note de frais',
  'Devis',
  'Quittance de loyer',
  'Attestation URSSAF',
  'Déclaration de TVA',
  'Liasse fiscale',
  'Procès-verbal d’assemblée',
  'Tableau d’amortissement',
  'Échéancier d’emprunt',
];
const PARTIES = [
  'Dupont',
  'Martin Électricité',
  'Orange',
  'EDF',
  'Banque Populaire',
  'Crédit Agricole',
  'URSSAF',
  'Lefèvre',
  'Amazon',
  'Garage Moreau',
  'Boulangerie Petit',
  'SNCF',
  'Total Énergies',
  'Leroy Merlin',
  'Metro',
  'Fnac',
  'Bureau Vallée',
  'OVH',
  'Free',
  'Allianz',
  'AXA',
  'Maître Girard',
  'Cabinet Roux',
  'Transports Faure',
];

/** One firm, its administrator, the files (the first is the big one), three folders each. */
async function seedFirm(client: pg.Client, fileCount: number) {
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
  const files = await client.query<{ id: string }>(
    `insert into client_files (firm_id, code, name, responsible_id)
     select $1, 'CLI' || lpad(g::text, 5, '0'), 'Client ' || g, $2 from generate_series(0, $3::int - 1) g
     returning id, code`,
    [firmId, staffId, fileCount],
  );
  await client.query(
    `insert into ged_folders (firm_id, file_id, name, visible_to_client, position)
     select $1, f.id, n.name, n.position = 0, n.position
     from client_files f cross join (values ('Comptabilité', 0), ('Fiscal', 1), ('Social', 2)) n(name, position)
     where f.firm_id = $1`,
    [firmId],
  );
  const rows = await client.query<{ id: string }>(
    'select id from client_files where firm_id = $1 order by code',
    [firmId],
  );
  if (rows.rows.length !== files.rows.length) throw new Error('files');
  return { firmId, staffId, fileIds: rows.rows.map((r) => r.id) };
}

/**
 * Documents `from`…`from + count - 1` of one file. The text is 30 to 150 words drawn from the
 * vocabulary with a geometric law (mean index 18: the first words are in nearly every text, the
 * last in about one in two hundred; a draw past the end is dropped);
 * one document in five has no text (not a PDF). `g` in the word count makes the sub-select
 * correlated, so it is drawn again for every row.
 */
const INSERT_DOCUMENTS = `
  insert into ged_documents (firm_id, file_id, folder_id, name, mime, size, sha256, blob_key,
    fiscal_year, visible_to_client, added_by_type, added_by_id, added_by_name, added_at, content_text)
  select $1, $2, folders[1 + g % 3],
    ($5::text[])[1 + (g * 7) % array_length($5::text[], 1)] || ' ' || ($6::text[])[1 + (g * 13) % array_length($6::text[], 1)]
      || case when g % 4999 = 0 then ' Vauban' else '' end
      || ' ' || (2020 + g % 6) || '-' || lpad((1 + (g / 3) % 12)::text, 2, '0') || ' n°' || g || '.pdf',
    case when g % 5 = 0 then 'image/jpeg' else 'application/pdf' end,
    20000 + (g::bigint * 7919) % 900000,
    md5('a' || g) || md5('b' || g),
    md5(random()::text) || md5(random()::text),
    2020 + g % 6, g % 3 <> 0, 'staff', $7, 'Camille Martin',
    now() - make_interval(mins => g),
    case when g % 5 = 0 then null else (
      select string_agg(($8::text[])[1 + floor(-ln(1 - random()) * 18)::int], ' ')
      from generate_series(1, 30 + (g * 31) % 121)
    ) end
  from generate_series($3::int, $3::int + $4::int - 1) g,
    (select array_agg(id order by position) as folders from ged_folders where file_id = $2) f`;

async function seedDocuments(
  clients: pg.Client[],
  seeded: { firmId: string; staffId: string; fileIds: string[] },
  total: number,
  big: number,
) {
  const others = seeded.fileIds.length - 1;
  const each = Math.floor((total - big) / others);
  const jobs = seeded.fileIds.map((fileId, i) => {
    const from = i === 0 ? 0 : big + (i - 1) * each;
    const count = i === 0 ? big : i === others ? total - big - (others - 1) * each : each;
    return { fileId, from, count };
  });
  // The big file in slices, so both connections share it.
  const slices = jobs.flatMap((job) => {
    const parts = Math.ceil(job.count / 10_000);
    return Array.from({ length: parts }, (_, k) => ({
      fileId: job.fileId,
      from: job.from + k * 10_000,
      count: Math.min(10_000, job.count - k * 10_000),
    }));
  });
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < slices.length) {
        const slice = slices[next++];
        if (!slice) break;
        await client.query(INSERT_DOCUMENTS, [
          seeded.firmId,
          slice.fileId,
          slice.from,
          slice.count,
          DOC_TYPES,
          PARTIES,
          seeded.staffId,
          VOCABULARY,
        ]);
        done += slice.count;
        if (done % 100_000 < slice.count)
          console.log(
            `  ${done.toLocaleString('en-US')} documents, ${((performance.now() - started) / 1000).toFixed(0)} s`,
          );
      }
    }),
  );
}

// --- measure ----------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const ms = (v: number) => `${v.toFixed(1)} ms`;

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

async function main() {
  const total = Number(args.documents);
  const fileCount = Number(args.files);
  const big = Number(args.big);
  const sample = Number(args.sample);
  const rounds = Number(args.rounds);
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
  const clients: pg.Client[] = [];
  let dropped = false;
  const dropDatabase = async () => {
    if (dropped) return;
    dropped = true;
    for (const c of clients) await c.end().catch(() => undefined);
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
    const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 2 });
    await runMigrations(database);
    for (let i = 0; i < 2; i++) {
      const c = new pg.Client({ connectionString: target.toString() });
      await c.connect();
      clients.push(c);
    }
    const [client] = clients as [pg.Client, pg.Client];
    let t = performance.now();
    const seeded = await seedFirm(client, fileCount);
    const indexDef = (
      await client.query<{ def: string }>(
        `select pg_get_indexdef('ged_documents_search_idx'::regclass) as def`,
      )
    ).rows[0]?.def as string;
    await client.query('drop index ged_documents_search_idx');
    await seedDocuments(clients, seeded, total, big);
    const seededIn = (performance.now() - t) / 1000;
    t = performance.now();
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(indexDef);
    await client.query('vacuum analyze ged_documents');
    const indexIn = (performance.now() - t) / 1000;
    const sizes = (
      await client.query<{ table: string; gin: string; vocabulary: string }>(
        `select pg_size_pretty(pg_table_size('ged_documents')) as table,
           pg_size_pretty(pg_relation_size('ged_documents_search_idx')) as gin,
           (select count(*) from ts_stat('select search_vector from ged_documents where file_id = ''${seeded.fileIds[1]}''')) as vocabulary`,
      )
    ).rows[0];
    console.log(
      `seeded ${total.toLocaleString('en-US')} documents in ${fileCount} files in ${seededIn.toFixed(0)} s; GIN built in ${indexIn.toFixed(0)} s; table ${sizes?.table}, GIN ${sizes?.gin}; ${sizes?.vocabulary} lexemes in one ordinary file`,
    );

    const bigFile = seeded.fileIds[0] as string;
    const step = Math.max(1, Math.floor((fileCount - 1) / sample));
    const smallFiles = seeded.fileIds
      .slice(1)
      .filter((_, i) => i % step === 0)
      .slice(0, sample);

    // How many documents each query matches, and the plans of the repository's own statements
    // (auto_explain on the bench's connection, its output sent back as notices).
    const explained = drizzle(client, { schema }) as unknown as Db;
    await client.query(`load 'auto_explain'`);
    await client.query(
      `set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
       set auto_explain.log_buffers = on; set auto_explain.log_timing = on; set client_min_messages = log`,
    );
    const notices: string[] = [];
    const onNotice = (notice: { message?: string }) => notices.push(notice.message ?? '');
    const explainSearch = async (fileId: string, q: string) => {
      notices.length = 0;
      client.on('notice', onNotice);
      await searchDocuments(explained, fileId, { q, visibleOnly: false, limit: 50 });
      client.off('notice', onNotice);
      // The statement text is the repository's; the plan is what matters (id lists shortened).
      return notices.flatMap((n) => [
        '-- statement',
        ...n
          .split('\n')
          .filter((line) => !/^(duration: |Query Text: )/.test(line))
          .map((line) => (line.length > 200 ? `${line.slice(0, 200)}…` : line)),
      ]);
    };
    const matches = async (fileId: string, q: string) =>
      Number(
        (
          await client.query<{ n: string }>(
            `select count(*) as n from ged_documents where file_id = $1 and deleted_at is null
             and search_vector @@ websearch_to_tsquery('french', $2)`,
            [fileId, q],
          )
        ).rows[0]?.n,
      );
    const counts = new Map<string, { big: number; small: number }>();
    for (const { q } of QUERIES)
      counts.set(q, { big: await matches(bigFile, q), small: await matches(smallFiles[0] as string, q) });
    const plans = [
      { label: 'common term (facture), big file', lines: await explainSearch(bigFile, 'facture') },
      { label: 'rare term (nantissement), big file', lines: await explainSearch(bigFile, 'nantissement') },
      {
        label: 'common term (facture), ordinary file',
        lines: await explainSearch(smallFiles[0] as string, 'facture'),
      },
      {
        label: 'rare term (Vauban), ordinary file',
        lines: await explainSearch(smallFiles[0] as string, 'Vauban'),
      },
    ];
    await client.query('reset client_min_messages; reset auto_explain.log_min_duration');
    await database.close();

    child = fork(fileURLToPath(import.meta.url), ['--serve', target.toString()], { stdio: 'inherit' });
    const started = child;
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      started.once('message', (message) => resolve(message as ServerReady));
      started.once('exit', (code) => reject(new Error(`the server exited before listening (code ${code})`)));
    });
    const base = `http://127.0.0.1:${ready.port}`;
    const search = async (fileId: string, q: string) => {
      const began = performance.now();
      const res = await fetch(`${base}/api/files/${fileId}/ged/search?q=${encodeURIComponent(q)}`, {
        headers: { cookie: ready.cookie },
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await res.json()) as { items?: unknown[] };
      const elapsed = performance.now() - began;
      if (res.status !== 200) throw new Error(`search ${q} answered ${res.status}`);
      return { elapsed, hits: body.items?.length ?? 0 };
    };

    // Warm-up: every query once on every sampled file (caches, prepared plans, JIT of the server).
    for (const fileId of [bigFile, ...smallFiles]) for (const { q } of QUERIES) await search(fileId, q);

    const loadBefore = loadavg()[0] ?? 0;
    t = performance.now();
    const times = {
      big: new Map<string, number[]>(),
      small: new Map<string, number[]>(),
    };
    for (let round = 0; round < rounds; round++) {
      for (const { q } of QUERIES) {
        for (const fileId of [bigFile, ...smallFiles]) {
          const { elapsed } = await search(fileId, q);
          const into = fileId === bigFile ? times.big : times.small;
          into.set(q, [...(into.get(q) ?? []), elapsed]);
        }
      }
    }
    const measuredIn = (performance.now() - t) / 1000;

    console.log('');
    console.log(
      `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, PostgreSQL ${pgVersion}`,
    );
    console.log(
      `load average (1 min) before the runs: ${loadBefore.toFixed(2)}, after: ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
    console.log(
      `big file: ${big.toLocaleString('en-US')} documents; ordinary files: ~${Math.floor((total - big) / (fileCount - 1)).toLocaleString('en-US')} documents (${smallFiles.length} sampled); ${rounds} rounds, one request at a time`,
    );
    console.log(
      `ranking bounds: all matches up to ${searchBounds.candidates}, else the best of the ${searchBounds.candidates} most recent (window of ${searchBounds.recentWindow.toLocaleString('en-US')} latest documents)`,
    );
    for (const { label, lines } of plans) {
      console.log('');
      console.log(`plan: ${label}`);
      for (const line of lines) console.log(`    ${line}`);
    }
    console.log('');
    console.log(
      '| query | kind | matches (big / ordinary) | big p50 | big p95 | ordinary p50 | ordinary p95 |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const { q, kind } of QUERIES) {
      const b = summary(times.big.get(q) ?? []);
      const s = summary(times.small.get(q) ?? []);
      const c = counts.get(q);
      console.log(
        `| \`${q}\` | ${kind} | ${c?.big.toLocaleString('en-US')} / ${c?.small.toLocaleString('en-US')} | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(s.p50)} | ${ms(s.p95)} |`,
      );
    }
    const all = (m: Map<string, number[]>) => [...m.values()].flat();
    const smallAll = summary(all(times.small));
    const bigAll = summary(all(times.big));
    const bigRare = summary(
      QUERIES.filter((x) => x.kind === 'rare' || x.kind === 'absent').flatMap(
        (x) => times.big.get(x.q) ?? [],
      ),
    );
    const bigCommon = summary(
      QUERIES.filter((x) => x.kind === 'common').flatMap((x) => times.big.get(x.q) ?? []),
    );
    console.log('');
    console.log('| set | requests | p50 | p95 | p99 | max |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [label, s] of [
      ['ordinary files, all queries', smallAll],
      ['big file, all queries', bigAll],
      ['big file, common terms', bigCommon],
      ['big file, rare and absent terms', bigRare],
    ] as const) {
      console.log(`| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`);
    }
    console.log('');
    const smallMet = smallAll.p95 <= GOAL_P95_MS;
    const bigMet = bigAll.p95 <= GOAL_P95_MS;
    console.log(
      `goal p95 ≤ ${GOAL_P95_MS} ms, ordinary files: ${smallMet ? 'MET' : 'MISSED'} (${ms(smallAll.p95)})`,
    );
    console.log(`goal p95 ≤ ${GOAL_P95_MS} ms, big file: ${bigMet ? 'MET' : 'MISSED'} (${ms(bigAll.p95)})`);
    console.log(`measured in ${measuredIn.toFixed(1)} s`);
    if (!smallMet || !bigMet) process.exitCode = 1;
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
