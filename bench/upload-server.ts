/**
 * The servers compared by upload-pipeline.bench.ts, each run in a child process of its own so its
 * memory can be read from /proc:
 *
 *   tsx bench/upload-server.ts pipeline <dir>    Fastify + @fastify/multipart + ingestUpload -> DiskBlobStore
 *   tsx bench/upload-server.ts bare <dir>        node:http piping the request body to a file
 *   tsx bench/upload-server.ts bare-fsync <dir>  the same, fsyncing the file before answering
 *
 * Prints `listening <port>` once ready.
 */
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { AppError } from '../apps/server/src/lib/errors.ts';
import { DiskBlobStore } from '../apps/server/src/lib/storage/disk-blob-store.ts';
import { ingestUpload } from '../apps/server/src/lib/uploads/ingest.ts';
import { installErrorHandler } from '../apps/server/src/plugins/error-handler.ts';

const [mode, dir] = process.argv.slice(2);
if (dir === undefined || !['pipeline', 'bare', 'bare-fsync'].includes(mode ?? '')) {
  console.error('usage: upload-server.ts pipeline|bare|bare-fsync <dir>');
  process.exit(2);
}
const maxBytes = 64 * 1024 ** 3;

async function startPipeline(): Promise<number> {
  const store = DiskBlobStore.inDataDir(dir as string);
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1 } });
  app.post('/upload', async (request) => {
    const file = await request.file();
    if (file === undefined) throw new AppError('BAD_REQUEST');
    return ingestUpload(store, file, { maxBytes });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

async function startBare(fsync: boolean): Promise<number> {
  let n = 0;
  const server = http.createServer((req, res) => {
    // The same 1 MiB write buffer as DiskBlobStore, so the comparison isolates the pipeline's own work.
    const out = createWriteStream(path.join(dir as string, `bare-${process.pid}-${n++}.bin`), {
      flush: fsync,
      highWaterMark: 1024 * 1024,
    });
    pipeline(req, out).then(
      () => res.end('{"ok":true}'),
      (err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      },
    );
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const port = mode === 'pipeline' ? await startPipeline() : await startBare(mode === 'bare-fsync');
process.stdout.write(`listening ${port}\n`);

// A clean exit on SIGTERM/SIGINT (lets `--cpu-prof` write its profile).
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
