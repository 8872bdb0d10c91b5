/**
 * FEC import benchmark: the full reader (detection, validation, aggregation) against a bare
 * csv-parse pass over the same file, in the same run, plus the reader's peak memory measured in
 * a child process of its own.
 *
 *   npx tsx bench/fec-import.bench.ts [--lines 2000000] [--runs 2]
 *
 * Goals: reader throughput ≥ 0.5 × csv-parse, ≥ 200,000 lines/s, peak RSS ≤ 200 MiB.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { readFec } from '../packages/fec/src/index.ts';

const GOALS = { ratio: 0.5, linesPerSecond: 200_000, peakRssMiB: 200 };

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '2' },
    child: { type: 'string' },
  },
});

// --- synthetic FEC ---------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32): the same file on every run. */
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

const HEADER =
  'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t' +
  'PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

const amount = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/**
 * Writes a realistic ledger: an opening journal, then sales, purchases, bank and payroll entries
 * of 2 to 3 lines over twelve months, ~300 accounts, accented labels (UTF-8).
 */
async function writeSyntheticFec(file: string, lineCount: number): Promise<void> {
  const next = random(2023);
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${HEADER}\n`);
  let written = 0;
  let entry = 0;
  let batch = '';
  const line = (
    journal: string,
    journalLabel: string,
    date: string,
    account: string,
    accountLabel: string,
    label: string,
    debit: number,
    credit: number,
  ) => {
    const aux = account.startsWith('411') || account.startsWith('401') ? `C${account.slice(-4)}` : '';
    batch +=
      `${journal}\t${journalLabel}\t${entry}\t${date}\t${account}\t${accountLabel}\t${aux}\t${aux ? 'Société Générale Équipement' : ''}\t` +
      `F${entry}\t${date}\t${label}\t${amount(debit)}\t${amount(credit)}\t\t\t${date}\t\t\n`;
    written++;
  };
  while (written < lineCount) {
    entry++;
    const month = 1 + Math.floor((written / lineCount) * 12);
    const date = `2023${String(Math.min(month, 12)).padStart(2, '0')}${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const customer = `411${String(Math.floor(next() * 100)).padStart(5, '0')}`;
    const supplier = `401${String(Math.floor(next() * 100)).padStart(5, '0')}`;
    const net = 1000 + Math.floor(next() * 500_000);
    const vat = Math.round(net / 5);
    switch (entry % 4) {
      case 0:
        line('VE', 'Ventes', date, customer, 'Clients', 'Facture prestation été', net + vat, 0);
        line(
          'VE',
          'Ventes',
          date,
          `7060${Math.floor(next() * 10)}000`,
          'Prestations de services',
          'Facture',
          0,
          net,
        );
        line('VE', 'Ventes', date, '44571000', 'TVA collectée', 'Facture', 0, vat);
        break;
      case 1:
        line(
          'AC',
          'Achats',
          date,
          `6${Math.floor(next() * 3)}${Math.floor(next() * 9)}00000`,
          'Achats divers',
          'Fournitures',
          net,
          0,
        );
        line('AC', 'Achats', date, '44566000', 'TVA déductible', 'Fournitures', vat, 0);
        line('AC', 'Achats', date, supplier, 'Fournisseurs', 'Fournitures', 0, net + vat);
        break;
      case 2:
        line('BQ', 'Banque Crédit Agricole', date, '51200000', 'Banque', 'Règlement client', net, 0);
        line('BQ', 'Banque Crédit Agricole', date, customer, 'Clients', 'Règlement client', 0, net);
        break;
      default:
        line('OD', 'Opérations diverses', date, '64110000', 'Salaires', 'Paie du mois', net, 0);
        line(
          'OD',
          'Opérations diverses',
          date,
          '42100000',
          'Personnel rémunérations dues',
          'Paie du mois',
          0,
          net,
        );
    }
    if (batch.length > 1 << 16) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  out.end();
  await once(out, 'close');
}

// --- measurements ----------------------------------------------------------------------------

async function timeCsvParse(file: string): Promise<{ seconds: number; records: number }> {
  const started = performance.now();
  let records = 0;
  const parser = createReadStream(file).pipe(
    parse({ delimiter: '\t', relax_quotes: true, relax_column_count: true, quote: false }),
  );
  for await (const _record of parser) records++;
  return { seconds: (performance.now() - started) / 1000, records };
}

async function timeReader(file: string): Promise<{ seconds: number; lines: number; rows: number }> {
  const started = performance.now();
  const { report, aggregates } = await readFec(createReadStream(file));
  if (report.status !== 'accepted')
    throw new Error(`synthetic file refused: ${JSON.stringify(report.issues[0])}`);
  return { seconds: (performance.now() - started) / 1000, lines: report.lineCount, rows: aggregates.length };
}

/** In the child: read the file, sampling RSS as it goes, and print the figures as JSON. */
async function measureMemoryInChild(file: string): Promise<void> {
  const mib = (bytes: number) => bytes / 1024 / 1024;
  const baseline = process.memoryUsage().rss;
  const size = (await stat(file)).size;
  const samples: Array<{ progress: number; rssMiB: number }> = [];
  let read = 0;
  let nextSample = 0;
  async function* sampled() {
    for await (const chunk of createReadStream(file)) {
      read += (chunk as Buffer).length;
      if (read >= nextSample) {
        samples.push({ progress: read / size, rssMiB: mib(process.memoryUsage().rss) });
        nextSample += size / 10;
      }
      yield chunk as Buffer;
    }
  }
  const { report } = await readFec(sampled());
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ baselineMiB: mib(baseline), peakRssMiB, samples, lines: report.lineCount }),
  );
}

async function spawnMemoryChild(file: string): Promise<{
  baselineMiB: number;
  peakRssMiB: number;
  samples: Array<{ progress: number; rssMiB: number }>;
}> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), '--child', file],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`memory child exited with ${code}`);
  return JSON.parse(output);
}

// --- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const lineCount = Number(values.lines);
  const runs = Number(values.runs);
  const directory = await mkdtemp(path.join(tmpdir(), 'passerelle-fec-bench-'));
  const file = path.join(directory, '123456789FEC20231231.txt');
  try {
    process.stderr.write(`Generating ${lineCount.toLocaleString('en')} lines in ${file}…\n`);
    await writeSyntheticFec(file, lineCount);
    const size = (await stat(file)).size;

    // Alternate the two so that neither benefits from a warmer cache; keep each one's best run.
    let csvBest = Number.POSITIVE_INFINITY;
    let readerBest = Number.POSITIVE_INFINITY;
    let lines = 0;
    let rows = 0;
    for (let run = 1; run <= runs; run++) {
      const csv = await timeCsvParse(file);
      const reader = await timeReader(file);
      process.stderr.write(
        `run ${run}: csv-parse ${csv.seconds.toFixed(2)} s (${csv.records} records), reader ${reader.seconds.toFixed(2)} s\n`,
      );
      csvBest = Math.min(csvBest, csv.seconds);
      readerBest = Math.min(readerBest, reader.seconds);
      lines = reader.lines;
      rows = reader.rows;
    }
    const memory = await spawnMemoryChild(file);

    const readerRate = lines / readerBest;
    const csvRate = lines / csvBest;
    const ratio = csvBest / readerBest;
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const format = (n: number) => Math.round(n).toLocaleString('en');
    const cpu = cpus()[0]?.model ?? 'unknown';
    const table = [
      `Machine: ${cpus().length} cores, ${cpu}, Node ${process.version}`,
      `File: ${format(lines)} lines, ${(size / 1024 / 1024).toFixed(0)} MiB, TAB, UTF-8, 18 columns; ${rows} aggregate rows`,
      '',
      '| measure | value | goal | |',
      '|---|---:|---:|---|',
      `| csv-parse bare pass (best of ${runs}) | ${csvBest.toFixed(2)} s, ${format(csvRate)} lines/s | baseline | |`,
      `| readFec: read + validate + aggregate (best of ${runs}) | ${readerBest.toFixed(2)} s, ${format(readerRate)} lines/s | ≥ ${format(GOALS.linesPerSecond)} lines/s | ${verdict(readerRate >= GOALS.linesPerSecond)} |`,
      `| throughput ratio reader / csv-parse | ${ratio.toFixed(2)} | ≥ ${GOALS.ratio} | ${verdict(ratio >= GOALS.ratio)} |`,
      `| reader peak RSS (child process, whole process) | ${memory.peakRssMiB.toFixed(0)} MiB | ≤ ${GOALS.peakRssMiB} MiB | ${verdict(memory.peakRssMiB <= GOALS.peakRssMiB)} |`,
      `| RSS before reading (runtime + tsx) | ${memory.baselineMiB.toFixed(0)} MiB | | |`,
      '',
      `RSS while reading (MiB, every 10 %): ${memory.samples.map((sample) => sample.rssMiB.toFixed(0)).join(' → ')}`,
    ];
    process.stdout.write(`${table.join('\n')}\n`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (values.child !== undefined) await measureMemoryInChild(values.child);
else await main();
