import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FORMAT, fecText, simpleLines } from './support/fec-builder.ts';
import { cliPath, realFec, repoRoot } from './support/paths.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run fec` does: TypeScript through tsx, from the repository root. */
function runCli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cliPath, ...args],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'passerelle-fec-cli-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('fec CLI', () => {
  it('prints the figures of a real file as JSON and exits 0', async () => {
    const run = await runCli(realFec('000000000FEC20231231.txt'), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output).toMatchObject({
      file: '000000000FEC20231231.txt',
      status: 'accepted',
      revenue: 165297.93,
      netIncome: 3988.38,
      cash: 91971.08,
      netCash: 91971.08,
      receivables: 27771.7,
      payables: 4625.5,
    });
    for (const key of [
      'commercialMargin',
      'valueAdded',
      'grossOperatingSurplus',
      'operatingIncome',
      'vatCollected',
    ]) {
      expect(typeof output[key]).toBe('number');
    }
    expect(output.byMonth).toHaveLength(12);
    expect(output.byMonth[0]).toEqual({
      month: '2023-01',
      revenue: expect.any(Number),
      netIncome: expect.any(Number),
      cash: expect.any(Number),
      netCash: expect.any(Number),
    });
    expect(output.report).toMatchObject({
      status: 'accepted',
      encoding: 'utf-8',
      separator: '\t',
      lineCount: 2102,
      errorCount: 0,
      totals: { debit: 1265350.82, credit: 1265350.82, balanced: true },
    });
  });

  it('prints the French report of a real file and exits 0', async () => {
    const run = await runCli(realFec('0000000001FEC20220831.txt'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Résultat : FICHIER ACCEPTÉ');
    expect(run.stdout).toContain('Encodage            UTF-8 avec BOM');
    expect(run.stdout).toContain('Chiffres clés (en euros)');
  });

  it('exits 1 on a refused file, with the report saying why', async () => {
    const file = path.join(directory, '123456789FEC20231231.txt');
    await writeFile(
      file,
      fecText(simpleLines(), CLEAN_FORMAT).replace('20230115\t70600000', '20231399\t70600000'),
    );
    const text = await runCli(file);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Résultat : FICHIER REFUSÉ');
    expect(text.stdout).toContain('ligne 3 : EcritureDate « 20231399 »');
    expect(text.stdout).not.toContain('Chiffres clés');

    const json = await runCli(file, '--json');
    expect(json.code).toBe(1);
    const output = JSON.parse(json.stdout);
    expect(output.status).toBe('refused');
    expect(output.revenue).toBeUndefined();
    expect(output.report.issues[0]).toMatchObject({ code: 'INVALID_DATE', severity: 'error', count: 1 });
  });

  it('exits 2 on usage errors', async () => {
    const none = await runCli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage');
    expect((await runCli(path.join(directory, 'absent.txt'))).code).toBe(2);
    expect((await runCli(realFec('sample_tab.txt'), '--unknown')).code).toBe(2);
    expect((await runCli(realFec('sample_tab.txt'), '--fiscal-year-end', 'demain')).code).toBe(2);
  });
});
