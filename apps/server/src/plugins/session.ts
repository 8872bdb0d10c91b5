import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { SESSION_COOKIE, type SessionService } from '../modules/sessions/sessions.service.ts';
import type { Actor } from '../policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: { idHash: string; csrfToken: string; idToken: string | null } | null;
  }
  interface FastifyReply {
    setSessionCookie(token: string, expiresAt: Date): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

/** Reads the session cookie once per request and exposes `request.actor`. */
export const sessionPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; sessions: SessionService }) => {
    const cookieName = opts.config.secureCookies ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: opts.config.secureCookies,
    };

    app.decorateRequest('actor', null, []);
    app.decorateRequest('session', null, []);
    app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string, expiresAt: Date) {
      return this.setCookie(cookieName, token, { ...cookieOptions, expires: expiresAt });
    });
    app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(cookieName, cookieOptions);
    });

    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.actor = { type: 'anonymous' };
      const token = request.cookies[cookieName];
      if (!token || token.length > 200) return;
      const loaded = await opts.sessions.load(token);
      if (!loaded) return;
      request.actor = loaded.actor;
      request.session = { idHash: loaded.idHash, csrfToken: loaded.csrfToken, idToken: loaded.idToken };
    });

    app.decorate('sessionCookieName', cookieName);

    // Hear the other instances' session invalidations for as long as this one runs.
    await opts.sessions.connect();
    app.addHook('onClose', () => opts.sessions.disconnect());
  },
  { name: 'session', dependencies: ['@fastify/cookie'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookieName: string;
  }
}
