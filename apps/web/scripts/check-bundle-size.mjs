#!/usr/bin/env node
// Gzipped size of the JavaScript each page loads before it can render (its entry script and the
// modules it preloads), checked against the budget. Run after `vite build`.
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
  for (const file of new Set(scripts))
    total += gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
  const kb = total / 1024;
  const verdict = kb <= budgetKb ? 'ok' : 'OVER BUDGET';
  if (kb > budgetKb) failed = true;
  console.log(
    `${page}: ${kb.toFixed(1)} KB gzipped initial JS (${scripts.length} files, budget ${budgetKb} KB) ${verdict}`,
  );
}
process.exit(failed ? 1 : 0);
