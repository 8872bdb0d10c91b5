import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { webRoutes } from '../src/modules/web/web.routes.ts';
import { clientWithStart, multipart } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/**
 * The web module serves the build's precompressed copies by Accept-Encoding (Brotli first, then
 * gzip, else the file itself), with the headers caches and browsers rely on; documents and the
 * JSON API go out exactly as before: never compressed, ranges intact.
 */

// --- the web module on a build of known files ----------------------------------------------------

const script = Buffer.from(`export const texte = ${JSON.stringify('Pièces comptables '.repeat(400))};\n`);
const page = Buffer.from(
  `<!doctype html><html lang="fr"><head><title>Passerelle</title></head><body>${'<p>Espace</p>'.repeat(80)}</body></html>`,
);
const worker = Buffer.from(`self.addEventListener('fetch', () => {});\n${'// cache\n'.repeat(200)}`);
const icon = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);

let distDir: string;
let web: FastifyInstance;

async function writeBuild(dir: string) {
  await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
  const withCopies = async (file: string, content: Buffer) => {
    await fs.writeFile(path.join(dir, file), content);
    await fs.writeFile(path.join(dir, `${file}.br`), brotliCompressSync(content));
    await fs.writeFile(path.join(dir, `${file}.gz`), gzipSync(content));
  };
  await withCopies('assets/client-abc123.js', script);
  await withCopies('client.html', page);
  await withCopies('firm.html', page);
  await withCopies('sw.js', worker);
  // Only a gzip copy of this one: a Brotli browser gets gzip rather than nothing.
  await fs.writeFile(path.join(dir, 'assets/only-gzip-def456.css'), script);
  await fs.writeFile(path.join(dir, 'assets/only-gzip-def456.css.gz'), gzipSync(script));
  // A binary file has no copies at all.
  await fs.writeFile(path.join(dir, 'assets/icon-789.png'), icon);
}

const get = (url: string, headers: Record<string, string> = {}) =>
  web.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  distDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-web-dist-'));
  await writeBuild(distDir);
  web = Fastify({ logger: false });
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:3999', LOG_LEVEL: 'silent' });
  await web.register(webRoutes, { config, distDir });
  await web.ready();
});
afterAll(async () => {
  await web?.close();
  if (distDir) await fs.rm(distDir, { recursive: true, force: true });
});

describe('hashed assets', () => {
  it('sends the Brotli copy to a browser that accepts it, with the original type and the copy length', async () => {
    const res = await get('/assets/client-abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    // The type of the file itself, not of a Brotli stream.
    expect(res.headers['content-type']).toBe((await get('/assets/client-abc123.js')).headers['content-type']);
    expect(res.headers['content-type']).toMatch(/^(?:text|application)\/javascript; charset=utf-8$/);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.rawPayload.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(res.rawPayload).equals(script)).toBe(true);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends gzip when Brotli is not accepted, or refused with q=0', async () => {
    for (const accept of ['gzip', 'gzip, deflate', 'br;q=0, gzip']) {
      const res = await get('/assets/client-abc123.js', { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(gunzipSync(res.rawPayload).equals(script)).toBe(true);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    }
  });

  it('sends the file itself to a client that accepts no encoding, still varying on it', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'zstd' },
    ];
    for (const headers of cases) {
      const res = await get('/assets/client-abc123.js', headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.rawPayload.equals(script)).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(script.length);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    }
  });

  it('falls back to the copy that exists, and to the file when there is none', async () => {
    const css = await get('/assets/only-gzip-def456.css', { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(gunzipSync(css.rawPayload).equals(script)).toBe(true);

    const png = await get('/assets/icon-789.png', { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.equals(icon)).toBe(true);
  });

  it('never serves a compressed copy by its own name, and answers 404 for what is not there', async () => {
    expect((await get('/assets/missing-000.js', { 'accept-encoding': 'br' })).statusCode).toBe(404);
    expect((await get('/assets/../client.html', { 'accept-encoding': 'br' })).statusCode).not.toBe(200);
  });
});

describe('pages and the service worker', () => {
  it('sends the pages compressed, revalidated at every use and kept out of shared caches', async () => {
    for (const url of ['/espace', '/espace/documents', '/portefeuille']) {
      const res = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(res.rawPayload).equals(page)).toBe(true);
      expect(res.headers.etag).toBeTruthy();
    }
  });

  it('answers 304 when the page has not changed since the browser stored it', async () => {
    const first = await get('/espace', { 'accept-encoding': 'gzip' });
    const again = await get('/espace', {
      'accept-encoding': 'gzip',
      'if-none-match': String(first.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('gives each encoding of a page its own validator', async () => {
    const br = await get('/espace', { 'accept-encoding': 'br' });
    const plain = await get('/espace');
    expect(plain.rawPayload.equals(page)).toBe(true);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const mixed = await get('/espace', { 'if-none-match': String(br.headers.etag) });
    expect(mixed.statusCode).toBe(200);
    expect(mixed.rawPayload.equals(page)).toBe(true);
  });

  it('serves the service worker compressed, revalidated, with its scope header', async () => {
    const res = await get('/espace/sw.js', { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(?:text|application)\/javascript; charset=utf-8$/);
    expect(res.headers['service-worker-allowed']).toBe('/espace');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(brotliDecompressSync(res.rawPayload).equals(worker)).toBe(true);
  });
});

// --- the whole server: documents and the API are sent as they are -------------------------------

describe('documents and the API through the whole server', () => {
  let t: TestApp;
  let dataDir: string;
  let fileId: string;
  let admin: Awaited<ReturnType<typeof signInAsStaff>>;
  let client: Awaited<ReturnType<typeof clientWithStart>>;
  // Very compressible: if anything compressed it on the way, it would show.
  const text = Buffer.from('Compte;Libellé;Débit;Crédit\n'.repeat(2000), 'utf8');
  const acceptAll = { 'accept-encoding': 'gzip, deflate, br, zstd' };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-web-'));
    t = await buildTestApp({ DATA_DIR: dataDir });
    const firmId = (await createFirm(t.ctx.db)).id;
    fileId = (await createFile(t.ctx.db, firmId)).id;
    admin = await signInAsStaff(t, firmId);
    client = await clientWithStart(t, firmId, fileId);
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function sharedDocument() {
    const folders = (
      await t.app.inject({ url: `/api/files/${fileId}/ged/folders`, headers: admin.headers })
    ).json().items as { id: string; visibleToClient: boolean }[];
    const shared = folders.find((f) => f.visibleToClient);
    if (!shared) throw new Error('no folder shared with the client');
    const body = multipart([{ name: 'grand-livre.csv', content: text, type: 'text/csv' }]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/ged/folders/${shared.id}/documents`,
      headers: { ...admin.headers, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [result] = res.json().results as { ok: boolean; document: { id: string } }[];
    if (!result?.ok) throw new Error(res.body);
    return result.document.id;
  }

  it('sends a document byte for byte, never encoded, to the firm and to the client', async () => {
    const id = await sharedDocument();
    for (const [who, url] of [
      [admin, `/api/ged/documents/${id}/content`],
      [client, `/api/client/ged/documents/${id}/content`],
    ] as const) {
      const res = await t.app.inject({ url, headers: { ...who.headers, ...acceptAll } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBeUndefined();
      expect(res.rawPayload.equals(text), url).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(text.length);

      const range = await t.app.inject({
        url,
        headers: { ...who.headers, ...acceptAll, range: 'bytes=6-12' },
      });
      expect(range.statusCode, url).toBe(206);
      expect(range.headers['content-encoding']).toBeUndefined();
      expect(range.headers['content-range']).toBe(`bytes 6-12/${text.length}`);
      expect(range.rawPayload.equals(text.subarray(6, 13))).toBe(true);
    }
  });

  it('sends the JSON API uncompressed, the session and its CSRF token included', async () => {
    for (const url of ['/api/session', `/api/client/files/${fileId}/ged/folders`, `/api/client/files`]) {
      const res = await t.app.inject({ url, headers: { ...client.headers, ...acceptAll } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBeUndefined();
      expect(() => JSON.parse(res.body), url).not.toThrow();
    }
  });
});
