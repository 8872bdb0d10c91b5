import { logoutResponseSchema, sessionResponseSchema } from '@passerelle/contracts/session';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';
import { originOf } from '../audit/audit.service.ts';
import { type AuthService, safeReturnTo } from './auth.service.ts';
import { noAccessPage, signInFailedPage } from './auth-pages.ts';
import { sendPage } from './html-page.ts';

/** Binds a pending sign-in (its state) to the browser that started it. */
const AUTH_COOKIE = 'passerelle_auth';
const AUTH_COOKIE_MAX_AGE_S = 10 * 60;

interface AuthRoutesOptions {
  config: Config;
  auth: AuthService;
}

/** The relying party's browser routes: start a sign-in, receive the provider's answer. */
export async function authPageRoutes(fastify: FastifyInstance, { config, auth }: AuthRoutesOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const cookieName = config.secureCookies ? `__Host-${AUTH_COOKIE}` : AUTH_COOKIE;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };

  app.setErrorHandler((err, request, reply) => {
    request.log.error({ err }, 'sign-in page failed');
    return sendPage(reply, 500, signInFailedPage('internal'));
  });

  app.get(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        querystring: z.object({
          returnTo: z.string().optional().catch(undefined),
          // The firm whose own provider signs in (its slug), and the first sign-in of an invitation.
          firm: z.string().max(100).optional().catch(undefined),
          first: z.literal('1').optional().catch(undefined),
        }),
      },
    },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.query.returnTo, config.publicUrl);
      const started = await auth.beginSignIn({
        returnTo,
        firmSlug: request.query.firm,
        firstSignIn: request.query.first === '1',
      });
      if (!started) return sendPage(reply, 503, signInFailedPage('provider_unreachable', returnTo));
      reply.setCookie(cookieName, started.state, { ...cookieOptions, maxAge: AUTH_COOKIE_MAX_AGE_S });
      return reply.header('cache-control', 'no-store').redirect(started.redirectTo, 302);
    },
  );

  app.get(
    '/auth/callback',
    { config: { access: 'public' }, schema: { querystring: z.looseObject({}) } },
    async (request, reply) => {
      const browserState = request.cookies[cookieName];
      reply.clearCookie(cookieName, cookieOptions);
      const previousToken = request.cookies[app.sessionCookieName];
      const outcome = await auth.completeSignIn({
        browserState,
        currentUrl: new URL(request.url, config.publicUrl),
        origin: originOf(request),
      });
      switch (outcome.kind) {
        case 'signed_in':
          // Rotation: whatever session this browser had is ended, the new one has a new id.
          if (previousToken) await auth.endSessionToken(previousToken);
          reply.setSessionCookie(outcome.token, outcome.expiresAt);
          return reply.header('cache-control', 'no-store').redirect(outcome.returnTo, 302);
        case 'no_access':
          return sendPage(reply, 403, noAccessPage(outcome));
        case 'failed':
          return sendPage(
            reply,
            outcome.reason === 'internal' ? 500 : outcome.reason === 'provider_unreachable' ? 503 : 400,
            signInFailedPage(outcome.reason, outcome.returnTo),
          );
      }
    },
  );
}

/** The session API of the single-page apps. */
export async function authApiRoutes(fastify: FastifyInstance, { auth }: AuthRoutesOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/session',
    { config: { access: 'session' }, schema: { response: { 200: sessionResponseSchema } } },
    async (request, reply) => {
      if (!request.session) throw new AppError('UNAUTHENTICATED');
      reply.header('cache-control', 'no-store');
      return auth.describeSession(request.actor, request.session.csrfToken);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'session' }, schema: { response: { 200: logoutResponseSchema } } },
    async (request, reply) => {
      const result = await auth.signOut({
        token: request.cookies[app.sessionCookieName],
        actor: request.actor,
        idToken: request.session?.idToken ?? null,
        origin: originOf(request),
      });
      reply.clearSessionCookie();
      return result;
    },
  );
}
