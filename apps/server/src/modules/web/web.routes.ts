import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');

/**
 * Serves the two built front ends: the firm app at `/` and the client space at `/espace`.
 * Pages need a session of the right kind; the anonymous visitor is sent to sign in.
 */
export async function webRoutes(app: FastifyInstance, _opts: { config: Config }) {
  if (!existsSync(webDistDir)) {
    app.log.warn(`web assets missing in ${webDistDir}: run "npm run build"`);
  }
  // Registered without its own routes so that the asset route declares its access like any other.
  await app.register(fastifyStatic, { root: path.join(webDistDir, 'assets'), serve: false });
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { access: 'public' } }, (request, reply) =>
    reply.sendFile(request.params['*'], { immutable: true, maxAge: '365d' }),
  );

  const cache = new Map<string, string>();
  const sendHtml = async (reply: FastifyReply, file: string) => {
    let html = cache.get(file);
    if (html === undefined) {
      html = await readFile(path.join(webDistDir, file), 'utf8');
      cache.set(file, html);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };

  // The client space's service worker: public (it only caches the shell), scoped to /espace.
  app.get('/espace/sw.js', { config: { access: 'public' } }, (_request, reply) =>
    reply
      .header('service-worker-allowed', '/espace')
      .header('cache-control', 'no-cache')
      .type('text/javascript; charset=utf-8')
      .sendFile('sw.js', webDistDir),
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
    app.get(url, { config: { access: 'staff', page: true } }, (_req, reply) => sendHtml(reply, 'firm.html'));
  }
  for (const url of ['/espace', '/espace/*']) {
    app.get(url, { config: { access: 'client', page: true } }, (_req, reply) =>
      sendHtml(reply, 'client.html'),
    );
  }
}
