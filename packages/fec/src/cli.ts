#!/usr/bin/env node
/**
 * Command line: checks a FEC and prints the French report, or the figures as JSON.
 *
 *   npm run fec -- <fichier> [--json] [--fiscal-year-start AAAA-MM-JJ] [--fiscal-year-end AAAA-MM-JJ]
 *
 * Exit code: 0 accepted, 1 refused, 2 usage error (bad arguments, unreadable file).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fiscalYearFromFileName } from './fiscal-year.ts';
import { computeIndicators, type IndicatorOptions, toEuroFigures } from './indicators.ts';
import { centsToEuros } from './money.ts';
import { readFec } from './reader.ts';
import { formatIndicatorsFr, formatReportFr } from './report-fr.ts';
import type { FecReport, ReadFecOptions } from './types.ts';

const USAGE = `Usage : fec <fichier FEC> [--json] [--fiscal-year-start AAAA-MM-JJ] [--fiscal-year-end AAAA-MM-JJ]

Contrôle un fichier des écritures comptables et affiche le rapport (ou, avec --json,
les chiffres clés en JSON). L'exercice est lu dans le nom du fichier (…FECAAAAMMJJ.txt)
quand il n'est pas donné.
Code de sortie : 0 fichier accepté, 1 fichier refusé, 2 erreur d'utilisation.
`;

class UsageError extends Error {}

interface CliArguments {
  file: string;
  json: boolean;
  fiscalYearStart?: string;
  fiscalYearEnd?: string;
}

function parseArguments(argv: string[]): CliArguments | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('un seul fichier attendu');
  const date = /^\d{4}-?\d{2}-?\d{2}$/;
  for (const name of ['fiscal-year-start', 'fiscal-year-end'] as const) {
    const value = values[name];
    if (value !== undefined && !date.test(value))
      throw new UsageError(`--${name} attend une date AAAA-MM-JJ`);
  }
  return {
    file: positionals[0] as string,
    json: values.json ?? false,
    fiscalYearStart: values['fiscal-year-start'],
    fiscalYearEnd: values['fiscal-year-end'],
  };
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'fiscal-year-start': { type: 'string' },
  'fiscal-year-end': { type: 'string' },
} as const;

/** The report without its journal details and with a few issues per kind: what a caller skims. */
function summarizeReport(report: FecReport) {
  return {
    status: report.status,
    encoding: report.meta.encoding,
    separator: report.meta.separator,
    lineEnding: report.meta.lineEnding,
    columnCount: report.meta.columns.length,
    amountLayout: report.meta.amountLayout,
    variant: report.meta.variant,
    lineCount: report.lineCount,
    period: report.period,
    totals: {
      debit: centsToEuros(report.totals.debitCents),
      credit: centsToEuros(report.totals.creditCents),
      balanced: report.totals.balanced,
    },
    journals: report.journals.map((journal) => ({
      code: journal.code,
      label: journal.label,
      lineCount: journal.lineCount,
      debit: centsToEuros(journal.debitCents),
      credit: centsToEuros(journal.creditCents),
      opening: journal.opening,
    })),
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    issues: report.issues.map((group) => ({
      code: group.code,
      severity: group.severity,
      count: group.count,
      first: group.issues.slice(0, 5).map((issue) => ({ line: issue.line, message: issue.message })),
    })),
  };
}

async function main(argv: string[]): Promise<number> {
  let args: CliArguments | 'help';
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`Erreur : ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const fileInfo = await stat(args.file).catch(() => null);
  if (fileInfo === null || !fileInfo.isFile()) {
    process.stderr.write(`Erreur : fichier introuvable : ${args.file}\n`);
    return 2;
  }

  const fileName = path.basename(args.file);
  const fromName = fiscalYearFromFileName(fileName);
  const readOptions: ReadFecOptions = {};
  const fiscalYearStart = args.fiscalYearStart ?? fromName?.start;
  const fiscalYearEnd = args.fiscalYearEnd ?? fromName?.end;
  if (fiscalYearStart !== undefined) readOptions.fiscalYearStart = fiscalYearStart;
  if (fiscalYearEnd !== undefined) readOptions.fiscalYearEnd = fiscalYearEnd;

  const { report, aggregates } = await readFec(createReadStream(args.file), readOptions);
  const accepted = report.status === 'accepted';
  // A first fiscal year may be longer than twelve months: start the series at the first entry.
  const indicatorOptions: IndicatorOptions = {};
  const seriesStart = [fiscalYearStart, report.flowPeriod?.first]
    .filter((date) => date !== undefined)
    .sort()[0];
  if (seriesStart !== undefined) indicatorOptions.fiscalYearStart = seriesStart;
  if (fiscalYearEnd !== undefined) indicatorOptions.fiscalYearEnd = fiscalYearEnd;

  if (args.json) {
    const figures = accepted ? toEuroFigures(computeIndicators(aggregates, indicatorOptions)) : {};
    const output = { file: fileName, status: report.status, ...figures, report: summarizeReport(report) };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    process.stdout.write(formatReportFr(report, { fileName }));
    if (accepted)
      process.stdout.write(`\n${formatIndicatorsFr(computeIndicators(aggregates, indicatorOptions))}`);
  }
  return accepted ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Erreur inattendue : ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
