import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AppError } from '../lib/errors.ts';
import { safeEqual } from '../lib/tokens.ts';
import { type AccessLevel, accessLevels, routeAllows } from '../policy.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessLevel;
    /** Pages answer an anonymous visitor with a redirect to sign-in instead of a 401. */
    page?: boolean;
    /** A public state-changing route with its own protection (e.g. the identity provider's forms). */
    csrfExempt?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: AccessLevel;
}

/**
 * Every route must declare who may call it; the server refuses to start otherwise.
 * Runs on request, before the body is parsed or validated, so nothing is revealed to the
 * wrong caller. State-changing requests of a session carry the session's CSRF token in `x-csrf-token`,
 * and any request whose Origin is not ours is refused.
 */
export const accessGuardPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const ownOrigin = new URL(opts.config.publicUrl).origin;
    const table: RouteAccessEntry[] = [];
    app.decorate('routeAccessTable', table);

    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!access || !accessLevels.includes(access)) {
        throw new Error(`Route ${methods.join(',')} ${route.url} declares no access level (config.access)`);
      }
      for (const method of methods) table.push({ method, url: route.url, access });
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply) => {
      const config = request.routeOptions.config;
      const access = config.access;
      // Fastify's own 404 handler has no route config: it reveals nothing, let it answer.
      if (!access) return;

      if (!SAFE_METHODS.has(request.method)) {
        const origin = request.headers.origin;
        if (origin !== undefined && origin !== ownOrigin) throw new AppError('CSRF_FAILED');
        if (request.session && !config.csrfExempt) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, request.session.csrfToken)) {
            throw new AppError('CSRF_FAILED');
          }
        }
      }

      const verdict = routeAllows(access, request.actor);
      if (verdict === 'ok') return;
      if (verdict === 'unauthenticated') {
        if (config.page && request.method === 'GET') {
          const returnTo = encodeURIComponent(request.url);
          return reply.redirect(`/auth/login?returnTo=${returnTo}`);
        }
        throw new AppError('UNAUTHENTICATED');
      }
      throw new AppError('FORBIDDEN');
    });
  },
  { name: 'access-guard', dependencies: ['session'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    routeAccessTable: RouteAccessEntry[];
  }
}
