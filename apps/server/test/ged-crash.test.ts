import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase, runMigrations } from '../src/db/connection.ts';
import { createSessionService, SESSION_COOKIE } from '../src/modules/sessions/sessions.service.ts';
import { multipart, pdfWithText } from './ged-helpers.ts';
import { testDbKind } from './support/database.ts';
import { createFile, createFirm, createStaff } from './support/factories.ts';

// The real server in a child process, SIGKILLed in the middle of an upload and restarted:
// no partial document is visible, every acknowledged document is there and its bytes hash to
// its checksum.
const serverDir = path.resolve(import.meta.dirname, '..');
let dataDir: string;
let databaseUrl: string | undefined;
let port: number;
let headers: Record<string, string>;
let fileId: string;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port: p } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return p;
}

async function startServer(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (d) => {
    output += d;
  });
  proc.stderr?.on('data', (d) => {
    output += d;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return proc;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function kill(proc: ChildProcess) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

const api = (url: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${port}${url}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-ged-crash-'));
  port = await freePort();
  let database: Database;
  if (testDbKind === 'postgres') {
    const { url, template } = inject('postgresTemplate');
    const name = `${template.replace('_tpl_', '_crash_')}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${name}" template "${template}"`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    databaseUrl = target.toString();
    database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  } else {
    database = await openDatabase({ kind: 'pglite', dir: path.join(dataDir, 'pglite') });
  }
  // Seed a firm, a staff session and a file, then let the server have the database.
  await runMigrations(database);
  const firm = await createFirm(database.db);
  const { staff, user } = await createStaff(database.db, firm.id);
  fileId = (await createFile(database.db, firm.id)).id;
  const session = await createSessionService(database.db, 3600_000).start({
    userId: user.id,
    firmId: firm.id,
    kind: 'staff',
    principalId: staff.id,
  });
  await database.close();
  headers = { cookie: `${SESSION_COOKIE}=${session.token}`, 'x-csrf-token': session.csrfToken };
}, 120_000);

afterAll(async () => {
  if (child) await kill(child);
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('crash in the middle of an upload', () => {
  it('leaves no partial document and keeps every acknowledged one intact', async () => {
    child = await startServer();
    const res = await api(`/api/files/${fileId}/ged/folders`);
    expect(res.status).toBe(200);
    const folder = ((await res.json()) as { items: { id: string; name: string }[] }).items.find(
      (f) => f.name === 'Comptabilité',
    );
    if (!folder) throw new Error('no folder');

    const acknowledged = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      const content = Buffer.concat([pdfWithText(`Piece ${i}`), randomBytes(100_000)]);
      const body = multipart([{ name: `piece-${i}.pdf`, content }]);
      const r = await api(`/api/ged/folders/${folder.id}/documents`, {
        method: 'POST',
        headers: body.headers,
        body: body.payload,
      });
      expect(r.status).toBe(201);
      const json = (await r.json()) as {
        results: { ok: boolean; document: { id: string; sha256: string } }[];
      };
      const doc = json.results[0]?.document;
      if (doc) acknowledged.set(doc.id, createHash('sha256').update(content).digest('hex'));
    }

    // A slow upload: headers and part of the file, then SIGKILL while it is streaming.
    const big = multipart([
      { name: 'interrompu.pdf', content: Buffer.concat([pdfWithText('Interrompu'), randomBytes(3_000_000)]) },
    ]);
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/ged/folders/${folder.id}/documents`,
      headers: { ...headers, ...big.headers, 'content-length': String(big.payload.length) },
    });
    request.on('error', () => {});
    request.write(big.payload.subarray(0, 1_000_000));
    await new Promise((r) => setTimeout(r, 300));
    await kill(child);
    request.destroy();

    child = await startServer();
    const listed = await api(`/api/ged/folders/${folder.id}/documents?limit=200`);
    const items = ((await listed.json()) as { items: { id: string; name: string; sha256: string }[] }).items;
    expect(items.map((d) => d.name)).not.toContain('interrompu.pdf');
    expect(new Set(items.map((d) => d.id))).toEqual(new Set(acknowledged.keys()));
    for (const doc of items) {
      expect(doc.sha256).toBe(acknowledged.get(doc.id));
      const bytes = Buffer.from(await (await api(`/api/ged/documents/${doc.id}/content`)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);
    }
    await kill(child);
    child = undefined;
  }, 180_000);
});
