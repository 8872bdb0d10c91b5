import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';
import { type IngestedUpload, ingestUpload } from '../src/lib/uploads/ingest.ts';
import { installErrorHandler } from '../src/plugins/error-handler.ts';

// The pipeline behind the real multipart parser: busboy's own limit, basename and abort handling.

// The type check reads the signature only; uploads-ingest.test.ts stores a complete PDF.
const pdf = Buffer.from(
  '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n',
  'latin1',
);
const multipartFileSize = 64 * 1024;
const boundary = '----passerelle-test-boundary';

function multipartBody(filename: string, content: Buffer, mimetype = 'application/pdf'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        `Content-Type: ${mimetype}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

let dir: string;
let store: DiskBlobStore;
let app: FastifyInstance;
let outcomes: Promise<IngestedUpload>[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-multipart-'));
  app = Fastify();
  installErrorHandler(app);
  await app.register(multipart, { limits: { fileSize: multipartFileSize, files: 1 } });
  app.post('/upload', async (request) => {
    const file = await request.file();
    if (file === undefined) throw new AppError('BAD_REQUEST');
    const outcome = ingestUpload(store, file, { maxBytes: 10 * 1024 * 1024 });
    outcomes.push(outcome);
    return outcome;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  store = new DiskBlobStore(path.join(dir, `blobs-${Date.now()}-${Math.random()}`));
  outcomes = [];
});

async function storedFiles(): Promise<string[]> {
  const entries = await fs.readdir(store.root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

const upload = (body: Buffer) =>
  app.inject({
    method: 'POST',
    url: '/upload',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });

describe('upload pipeline behind @fastify/multipart', () => {
  it('stores a PDF', async () => {
    const response = await upload(multipartBody('facture.pdf', pdf));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ displayName: 'facture.pdf', size: pdf.length, created: true });
    expect(await storedFiles()).toHaveLength(1);
  });

  it('refuses a file cut at the plugin’s fileSize limit with 413 and stores nothing', async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(multipartFileSize * 3, 0x20)]);
    const response = await upload(multipartBody('gros.pdf', big));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await storedFiles()).toEqual([]);
  });

  it('answers 415 for an executable and 400 for a spoofed type, storing nothing', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(100)]);
    const refused = await upload(multipartBody('releve.pdf', elf));
    expect(refused.statusCode).toBe(415);
    expect(refused.json()).toMatchObject({ error: { code: 'FILE_TYPE_REFUSED' } });
    const mismatch = await upload(multipartBody('photo.png', pdf, 'image/png'));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ error: { code: 'FILE_TYPE_MISMATCH' } });
    expect(await storedFiles()).toEqual([]);
  });

  it('never sees a path: busboy keeps the base name, which is only displayed', async () => {
    const response = await upload(multipartBody('../../etc/passwd.pdf', pdf));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ displayName: 'passwd.pdf' });
    const files = await storedFiles();
    expect(files).toEqual([response.json().key]);
  });

  it('refuses an empty part with 400 FILE_EMPTY', async () => {
    const response = await upload(multipartBody('vide.pdf', Buffer.alloc(0)));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'FILE_EMPTY' } });
    expect(await storedFiles()).toEqual([]);
  });

  it('refuses with UPLOAD_TRUNCATED and stores nothing when the client goes away mid-file', async () => {
    const body = multipartBody('facture.pdf', Buffer.concat([pdf, Buffer.alloc(40_000, 0x20)]));
    const { port } = app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, 20_000));
    await expect.poll(() => outcomes.length).toBe(1);
    socket.destroy();
    const err = await (outcomes[0] as Promise<IngestedUpload>).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UPLOAD_TRUNCATED');
    expect(await storedFiles()).toEqual([]);
  });
});
