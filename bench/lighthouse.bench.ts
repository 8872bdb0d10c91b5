/**
 * Lighthouse benchmark of the client space on a phone: the dashboard (`/espace`) and the GED page
 * (`/espace/documents`), signed in as a client, default mobile profile of Lighthouse 12 (Moto G
 * Power emulation, simulated throttling: 150 ms RTT, 1.6 Mbit/s, CPU slowdown ×4).
 *
 *   npx tsx bench/lighthouse.bench.ts [--runs 3] [--pages /espace,/espace/documents] [--baseline-runs 3]
 *                                     [--save <dir>]   (writes each Lighthouse report as JSON there, and its Chromium trace)
 *
 * It starts the real server as `npm start` does (scripts/start.mjs: embedded PGlite, identity
 * provider and mailbox, demo firm; builds apps/web when dist is missing) in a temporary DATA_DIR
 * on a free port. In Chromium (CHROME_PATH, default /usr/bin/chromium), the demo admin puts the
 * demo file « Boulangerie Lefèvre » on the Start offer, creates a contact, links it and proposes
 * the service; on a Pixel 7 the contact accepts the invitation, creates an account, signs in to
 * /espace and consents, then deposits two PDF pieces: the dashboard shows two pieces « À
 * traiter » and the latest documents, the GED an inbox folder with two documents. The client's
 * session cookie is handed to Lighthouse as a header.
 *
 * Each run launches a fresh headless Chromium (new profile) and runs Lighthouse's Node API on it.
 * A report counts only if the page itself was measured (final URL is the page, not the sign-in
 * page, and the page's API call is among its requests).
 *
 * Baseline, in the same run: the same Lighthouse settings on a one-paragraph static page served
 * by a bare node:http server on loopback, the best score this machine and its current load allow.
 *
 * Goal: median performance ≥ 95 and median accessibility ≥ 95 on each page; exit code 1 if missed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Browser, chromium, devices, type Page } from '@playwright/test';
import lighthouse from 'lighthouse';
import { pdf } from '../e2e/support/files.ts';

const GOAL_PERFORMANCE = 95;
const GOAL_ACCESSIBILITY = 95;
const FILE_NAME = 'Boulangerie Lefèvre';
const ADMIN = { email: 'admin@cabinet-demo.test', password: 'Demo-Passerelle-2026' };
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** The request that proves a report measured the signed-in page, per page. */
const PAGE_CALLS: Record<string, RegExp> = {
  '/espace': /\/api\/client\/files\/[^/]+\/dashboard$/,
  '/espace/documents': /\/api\/client\/files\/[^/]+\/ged\/folders$/,
};

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'baseline-runs': { type: 'string', default: '3' },
    pages: { type: 'string', default: '/espace,/espace/documents' },
    save: { type: 'string' },
  },
});
const runs = Number(args.runs);
const baselineRuns = Number(args['baseline-runs']);
const pages = (args.pages ?? '').split(',').filter(Boolean);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// --- the server ---------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

async function startServer(dataDir: string): Promise<{ baseUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { baseUrl, child };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not become ready in 180 s');
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
}

// --- a signed-in client with data (what e2e/support/client-account.ts does) ---------------------

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answerConsentIfAsked(page: Page) {
  const consent = page.getByRole('button', { name: 'Oui' });
  const outcome = await Promise.race([
    consent.waitFor({ state: 'visible' }).then(() => 'consent' as const),
    page.waitForURL((url) => !url.pathname.startsWith('/idp/')).then(() => 'app' as const),
  ]);
  if (outcome === 'consent') await consent.click();
  await page.waitForURL((url) => !url.pathname.startsWith('/idp/'));
}

async function mailLink(page: Page, to: string, subject: RegExp, link: RegExp): Promise<string> {
  return waitFor(`the mail "${subject}" to ${to}`, async () => {
    const res = await page.request.get(`/api/mailbox?to=${encodeURIComponent(to)}`);
    const { messages } = (await res.json()) as { messages: { subject: string | null; links: string[] }[] };
    return messages.find((m) => subject.test(m.subject ?? ''))?.links.find((l) => link.test(l));
  });
}

async function prepareClient(browser: Browser, baseURL: string): Promise<string> {
  const firm = await browser.newContext({ ...devices['Desktop Chrome'], baseURL, locale: 'fr-FR' });
  const staff = await firm.newPage();
  await staff.goto('/portefeuille');
  await staff.getByLabel('E-mail').fill(ADMIN.email);
  await staff.getByLabel('Mot de passe').fill(ADMIN.password);
  await staff.getByRole('button', { name: 'Se connecter' }).click();
  await answerConsentIfAsked(staff);
  const { csrfToken } = (await (await staff.request.get('/api/session')).json()) as { csrfToken: string };
  const send = async <T>(method: 'post' | 'put', url: string, data: object): Promise<T> => {
    const res = await staff.request[method](url, { data, headers: { 'x-csrf-token': csrfToken } });
    if (!res.ok()) throw new Error(`${method.toUpperCase()} ${url}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const files = (await (await staff.request.get(`/api/files?q=${encodeURIComponent(FILE_NAME)}`)).json()) as {
    items: { id: string; name: string }[];
  };
  const fileId = files.items.find((f) => f.name === FILE_NAME)?.id;
  if (!fileId) throw new Error(`demo file ${FILE_NAME} not found`);
  await send('put', `/api/files/${fileId}/offer`, { offerCode: 'start' });
  const email = `client.${Date.now()}@passerelle-bench.test`;
  const contact = await send<{ id: string }>('post', '/api/contacts', {
    lastName: 'Garnier',
    firstName: 'Lucie',
    email,
  });
  await send('post', `/api/contacts/${contact.id}/files`, { fileId });
  await send('post', `/api/contacts/${contact.id}/files/${fileId}/services`, { offerCode: 'start' });
  await firm.close();

  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'fr-FR' });
  const phone = await context.newPage();
  await phone.goto(
    await mailLink(phone, email, /vous invite à rejoindre son organisation/, /\/invitation\//),
  );
  await phone.getByRole('button', { name: 'Accepter' }).click();
  await phone.getByRole('link', { name: 'Pas de compte ? Créez-en-un' }).click();
  const password = 'Pieces-Comptables-2026!';
  await phone.getByLabel('Nom', { exact: true }).fill('Garnier');
  await phone.getByLabel('Mot de passe', { exact: true }).fill(password);
  await phone.getByLabel('Confirmation du mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Créer mon compte' }).click();
  await phone.getByRole('heading', { name: 'Invitation acceptée' }).waitFor();
  await phone.goto(await mailLink(phone, email, /espace collaboratif/, /\/espace$/));
  await phone.getByLabel('E-mail').fill(email);
  await phone.getByLabel('Mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Se connecter' }).click();
  await answerConsentIfAsked(phone);
  await phone.waitForURL(/\/espace$/);

  // Two pieces deposited through the client's API, as the « Déposer » page sends them.
  const session = (await (await phone.request.get('/api/session')).json()) as { csrfToken: string };
  for (const name of ['facture-fournisseur.pdf', 'releve-bancaire.pdf']) {
    const res = await phone.request.post(`/api/client/files/${fileId}/pieces`, {
      headers: { 'x-csrf-token': session.csrfToken },
      multipart: { file: { name, mimeType: 'application/pdf', buffer: pdf(`Piece ${name}`) } },
    });
    if (!res.ok()) throw new Error(`deposit ${name}: ${res.status()} ${await res.text()}`);
  }
  const cookie = (await context.cookies()).find((c) => c.name === 'passerelle_sid');
  if (!cookie) throw new Error('the client sign-in left no session cookie');
  await context.close();
  return `${cookie.name}=${cookie.value}`;
}

// --- Lighthouse ---------------------------------------------------------------------------------

interface RunResult {
  performance: number;
  accessibility: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  si: number;
  benchmarkIndex: number;
  warnings: string[];
}

async function launchChromium(): Promise<{ port: number; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'passerelle-lh-profile-'));
  const chrome = spawn(
    CHROME_PATH,
    [...CHROME_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    // A process group of its own, so that closing it stops its helper processes too.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${output}`)), 30_000);
    chrome.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    chrome.on('exit', (code) => reject(new Error(`Chromium exited (${code}): ${output}`)));
  });
  return {
    port,
    close: async () => {
      if (chrome.exitCode === null) {
        const exited = once(chrome, 'exit');
        process.kill(-(chrome.pid as number), 'SIGTERM');
        await exited;
      }
      // Helpers of the group may still be writing their cache for a moment: a leftover temporary
      // profile is not worth failing the measurement for.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (err) {
        console.warn(`could not remove the Chromium profile ${profile}: ${(err as Error).message}`);
      }
    },
  };
}

class LighthouseRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`Lighthouse: ${code} ${message}`);
  }
}

/**
 * Lighthouse's own trace recording fails now and then on this machine (NO_NAVSTART: "Please run
 * Lighthouse again"); such a run is run again, at most twice, and said. Any other failure stops
 * the bench; every run that completes counts, whatever its score.
 */
const retriedCodes = new Set(['NO_NAVSTART', 'NO_FCP', 'NO_TRACING_STARTED']);

async function runLighthouseRetried(...params: Parameters<typeof runLighthouse>): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runLighthouse(...params);
    } catch (err) {
      if (!(err instanceof LighthouseRunError) || !retriedCodes.has(err.code) || attempt > 2) throw err;
      console.log(`  (${params[0]}: ${err.code} from Lighthouse's trace, run again)`);
    }
  }
}

async function runLighthouse(
  url: string,
  headers: Record<string, string>,
  pageCall?: RegExp,
): Promise<RunResult> {
  const chrome = await launchChromium();
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      extraHeaders: headers,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (args.save) {
      mkdirSync(args.save, { recursive: true });
      const name = `${new URL(url).pathname.replace(/\W+/g, '-')}-${Date.now()}.json`;
      writeFileSync(path.join(args.save, name), JSON.stringify(lhr));
      // The run's Chromium trace beside it (open it in DevTools' Performance panel): what the long
      // tasks behind Total Blocking Time were.
      const trace = (result.artifacts as { Trace?: unknown }).Trace;
      if (trace)
        writeFileSync(path.join(args.save, name.replace(/\.json$/, '.trace.json')), JSON.stringify(trace));
    }
    if (lhr.runtimeError) throw new LighthouseRunError(lhr.runtimeError.code, lhr.runtimeError.message);
    const expected = new URL(url).pathname;
    if (new URL(lhr.finalDisplayedUrl).pathname !== expected)
      throw new Error(`measured ${lhr.finalDisplayedUrl} instead of ${url} (signed out?)`);
    if (pageCall) {
      const requests = (lhr.audits['network-requests']?.details as { items?: { url: string }[] } | undefined)
        ?.items;
      if (!requests?.some((request) => pageCall.test(new URL(request.url).pathname)))
        throw new Error(`the page's own API call (${pageCall}) is missing from the report of ${url}`);
    }
    const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    return {
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      fcp: metric('first-contentful-paint'),
      lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      si: metric('speed-index'),
      benchmarkIndex: lhr.environment.benchmarkIndex,
      warnings: lhr.runWarnings,
    };
  } finally {
    await chrome.close();
  }
}

/** A one-paragraph page on a bare node:http server: the best this machine gives Lighthouse now. */
async function startBaselinePage(): Promise<{ url: string; close: () => void }> {
  const html =
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" ' +
    'content="width=device-width, initial-scale=1"><title>Base</title></head><body><main><h1>Passerelle</h1>' +
    '<p>Une page statique d’un paragraphe, servie sans application.</p></main></body></html>';
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => server.close() };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(label: string, results: RunResult[]) {
  const list = (pick: (r: RunResult) => string) => results.map(pick).join(' / ');
  console.log(`\n${label} (${results.length} runs)`);
  console.log(
    `  performance    ${list((r) => String(r.performance))}  median ${median(results.map((r) => r.performance))}`,
  );
  console.log(
    `  accessibility  ${list((r) => String(r.accessibility))}  median ${median(results.map((r) => r.accessibility))}`,
  );
  console.log(`  FCP  ${list((r) => seconds(r.fcp))}`);
  console.log(`  LCP  ${list((r) => seconds(r.lcp))}`);
  console.log(`  TBT  ${list((r) => `${Math.round(r.tbt)} ms`)}`);
  console.log(`  CLS  ${list((r) => r.cls.toFixed(3))}`);
  console.log(`  SI   ${list((r) => seconds(r.si))}`);
  console.log(`  benchmarkIndex ${list((r) => String(Math.round(r.benchmarkIndex)))}`);
  for (const warning of new Set(results.flatMap((r) => r.warnings))) console.log(`  warning: ${warning}`);
}

async function main() {
  console.log(
    `Lighthouse mobile, ${runs} runs per page; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passerelle-lh-data-'));
  const { baseUrl, child } = await startServer(dataDir);
  try {
    const browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: CHROME_FLAGS.filter((flag) => !flag.startsWith('--headless')),
    });
    let cookie: string;
    try {
      cookie = await prepareClient(browser, baseUrl);
    } finally {
      await browser.close();
    }

    const baseline = await startBaselinePage();
    const baselineResults: RunResult[] = [];
    try {
      for (let i = 0; i < baselineRuns; i++)
        baselineResults.push(await runLighthouseRetried(baseline.url, {}));
    } finally {
      baseline.close();
    }
    if (baselineResults.length) report('baseline: static one-paragraph page', baselineResults);
    const baselineScore = baselineResults.length ? median(baselineResults.map((r) => r.performance)) : 100;

    let met = true;
    const summary: string[] = [];
    for (const page of pages) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++)
        results.push(await runLighthouseRetried(`${baseUrl}${page}`, { Cookie: cookie }, PAGE_CALLS[page]));
      report(page, results);
      const performance = median(results.map((r) => r.performance));
      const accessibility = median(results.map((r) => r.accessibility));
      const ok = performance >= GOAL_PERFORMANCE && accessibility >= GOAL_ACCESSIBILITY;
      if (!ok) met = false;
      summary.push(
        `${page}: performance ${performance} (ratio to baseline ${(performance / baselineScore).toFixed(2)}), ` +
          `accessibility ${accessibility}; goal ≥ ${GOAL_PERFORMANCE} / ≥ ${GOAL_ACCESSIBILITY}: ${ok ? 'met' : 'MISSED'}`,
      );
    }
    console.log(
      `\nload average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const line of summary) console.log(line);
    process.exitCode = met ? 0 : 1;
  } finally {
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
