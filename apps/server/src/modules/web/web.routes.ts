import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');

/** Hashed files never change under their name: a year, never revalidated. */
const ASSET_OPTIONS = { immutable: true, maxAge: '365d' } as const;
/**
 * Pages and the service worker are revalidated at every use (ETag → 304), so a deploy shows at
 * once; `private` keeps them out of shared caches, since whether a page or a redirect to sign in
 * answers depends on the session. `cacheControl: false` stops @fastify/send from replacing it.
 */
const REVALIDATED = 'private, no-cache';

/**
 * Serves the two built front ends: the firm app at `/` and the client space at `/espace`.
 * Pages need a session of the right kind; the anonymous visitor is sent to sign in.
 *
 * Every text file of the build has a Brotli and a gzip copy written at build time
 * (apps/web/scripts/precompress-plugin.mjs); `preCompressed` sends the copy the browser accepts,
 * with `Content-Encoding`, the original's `Content-Type`, the copy's `Content-Length` and
 * `Vary: Accept-Encoding`, and the file itself to a browser that accepts neither. Nothing is
 * compressed on the fly, and the API is not compressed at all (docs/decisions/110).
 */
export async function webRoutes(app: FastifyInstance, opts: { config: Config; distDir?: string }) {
  const distDir = opts.distDir ?? webDistDir;
  if (!existsSync(distDir)) {
    app.log.warn(`web assets missing in ${distDir}: run "npm run build"`);
  }
  // Registered without its own routes so that the asset route declares its access like any other.
  await app.register(fastifyStatic, {
    root: path.join(distDir, 'assets'),
    serve: false,
    preCompressed: true,
  });
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { access: 'public' } }, (request, reply) =>
    reply.sendFile(request.params['*'], ASSET_OPTIONS),
  );

  const sendRevalidated = (reply: FastifyReply, file: string) =>
    reply.header('cache-control', REVALIDATED).sendFile(file, distDir, { cacheControl: false });

  // The client space's service worker: public (it only caches the shell), scoped to /espace.
  app.get('/espace/sw.js', { config: { access: 'public' } }, (_request, reply) =>
    sendRevalidated(reply.header('service-worker-allowed', '/espace'), 'sw.js'),
  );

  for (const url of [
    '/',
    '/portefeuille',
    '/portefeuille/*',
    '/clients/*',
    '/dossiers/*',
    '/parametres/*',
    '/pieces',
  ]) {
    app.get(url, { config: { access: 'staff', page: true } }, (_req, reply) =>
      sendRevalidated(reply, 'firm.html'),
    );
  }
  for (const url of ['/espace', '/espace/*']) {
    app.get(url, { config: { access: 'client', page: true } }, (_req, reply) =>
      sendRevalidated(reply, 'client.html'),
    );
  }
}
