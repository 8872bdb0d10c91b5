import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.ts';

/** The one helmet configuration of every response (API, web pages, identity provider pages). */
export function securityHeaderOptions(config: Config): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: [
          "'self'",
          ...(config.identity.kind === 'external' ? [new URL(config.identity.issuer).origin] : []),
        ],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
    crossOriginEmbedderPolicy: false,
  };
}

export interface SecurityHeaders {
  set: [name: string, value: string][];
  removed: string[];
}

/**
 * What helmet does to a response, computed once. Every directive here is a constant (no nonce,
 * no function of the request), so helmet's middleware sets the same headers on every response;
 * building it per request (as @fastify/helmet does) re-parsed the CSP directives each time.
 */
export function computeSecurityHeaders(options: HelmetOptions): SecurityHeaders {
  const headers: SecurityHeaders = { set: [], removed: [] };
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (typeof value !== 'string') throw new Error(`helmet set a non-text header: ${name}`);
      headers.set.push([name, value]);
    },
    removeHeader(name: string) {
      headers.removed.push(name);
    },
  };
  let done = false;
  const middleware = helmet(options) as unknown as (
    req: object,
    res: typeof recorder,
    next: (error?: unknown) => void,
  ) => void;
  middleware({}, recorder, (error) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not answer synchronously');
  return headers;
}

/** Sets the precomputed headers on every response, where and when @fastify/helmet set them. */
export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions) {
  const { set, removed } = computeSecurityHeaders(options);
  app.addHook('onRequest', (_request, reply, next) => {
    const res = reply.raw;
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  });
}
