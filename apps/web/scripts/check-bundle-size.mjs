#!/usr/bin/env node
// Gzipped size of the JavaScript each page loads before it can render (its entry script and the
// modules it preloads), checked against the budget, and that it is a production build. Run after
// `vite build`; `npm test` runs it after its build step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const budgetsKb = { 'client.html': 170, 'firm.html': 250 };

let failed = false;
for (const [page, budgetKb] of Object.entries(budgetsKb)) {
  const html = readFileSync(path.join(dist, page), 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g),
  ].map((match) => match[1]);
  let total = 0;
  for (const file of new Set(scripts)) {
    const code = readFileSync(path.join(dist, file));
    total += gzipSync(code, { level: 9 }).length;
    // React's development JSX runtime: the build ran with NODE_ENV=development (vite.config.ts
    // forces production; this catches a regression).
    if (code.includes('jsxDEV')) {
      console.log(`${page}: ${file} is a development build (jsxDEV): not what users may be served`);
      failed = true;
    }
  }
  const kb = total / 1024;
  const verdict = kb <= budgetKb ? 'ok' : 'OVER BUDGET';
  if (kb > budgetKb) failed = true;
  console.log(
    `${page}: ${kb.toFixed(1)} KB gzipped initial JS (${scripts.length} files, budget ${budgetKb} KB) ${verdict}`,
  );
}
process.exit(failed ? 1 : 0);
