#!/usr/bin/env node
// `npm test`: lint, type-check, build, unit + integration tests (PGlite and PostgreSQL),
// then the browser journeys. Stops at the first failing step and ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const vitestJson = path.join(tmp, 'vitest-report.json');
const playwrightJson = path.join(tmp, 'playwright-report.json');
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status === 0;
};

const counts = { passed: 0, failed: 0, skipped: 0 };
const readCounts = () => {
  if (existsSync(vitestJson)) {
    const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  if (existsSync(playwrightJson)) {
    const r = JSON.parse(readFileSync(playwrightJson, 'utf8'));
    counts.passed += r.stats?.expected ?? 0;
    counts.failed += (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0);
    counts.skipped += r.stats?.skipped ?? 0;
  }
};

const steps = [
  () => run('Lint and format (Biome)', 'npx', ['biome', 'check', '--error-on-warnings', '.']),
  () => run('Type-check', 'npm', ['run', 'typecheck']),
  () => run('Build the web app', 'npm', ['run', 'build', '-w', 'apps/web']),
  () => run('Initial JavaScript budget, production build', 'npm', ['run', 'size', '-w', 'apps/web']),
  () =>
    run('Unit and integration tests', 'npx', [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${vitestJson}`,
    ]),
  () =>
    run('Browser journeys (Chromium)', 'npx', ['playwright', 'test'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
    }),
];

let ok = true;
for (const step of steps) {
  if (!step()) {
    ok = false;
    break;
  }
}
readCounts();
if (!process.env.TEST_DATABASE_URL) {
  console.log('\n!!! The PostgreSQL run was NOT run: set TEST_DATABASE_URL (see README).');
}
if (counts.passed === 0 && ok) {
  console.log('No test ran: failing.');
  ok = false;
}
console.log(
  `\n${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
);
process.exit(ok ? 0 : 1);
