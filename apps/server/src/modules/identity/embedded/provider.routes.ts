import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction } from 'oidc-provider';
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { AppError } from '../../../lib/errors.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { sendPage } from '../html-page.ts';
import { findAccountByEmail, findAccountById, listAccountFirms } from './accounts.repository.ts';
import type { EmbeddedProvider } from './embedded-provider.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import {
  consentPage,
  LOGIN_FAILED_MESSAGE,
  loginPage,
  messagePage,
  tooManyAttemptsPage,
} from './provider-pages.ts';

interface Options {
  ctx: AppContext;
  embedded: EmbeddedProvider;
}

const uidSchema = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) });
const loginBodySchema = z.object({
  email: z.string().trim().max(320).catch(''),
  password: z.string().max(1000).catch(''),
});
const consentBodySchema = z.object({ decision: z.enum(['oui', 'non']).catch('non') });

class InteractionExpired extends Error {}

const emailOf = (body: unknown) =>
  typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string'
    ? body.email.trim().toLowerCase().slice(0, 320)
    : '';

/**
 * The embedded provider in this Fastify server: its own French interaction pages
 * (sign-in, consent) and everything else under the issuer path handed to oidc-provider.
 */
export async function embeddedProviderRoutes(app: FastifyInstance, opts: Options) {
  await app.register(interactionRoutes, opts);
  await app.register(providerMount, opts);
}

/**
 * oidc-provider is a Koa application. Like an Express or connect mount, the request it sees
 * is relative to the mount path (`/idp/auth` arrives as `/auth`) and `originalUrl` keeps the
 * full path, from which it rebuilds its own URLs. Fastify must leave the body unread: the
 * provider parses it itself.
 */
async function providerMount(app: FastifyInstance, { embedded }: Options) {
  const { mountPath } = embedded;
  // The provider is loaded by the first request under its path, not at start-up.
  let handler: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | null = null;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    handler ??= embedded.provider().then(
      (provider) => provider.callback(),
      (err: unknown) => {
        handler = null;
        throw err;
      },
    );
    return (await handler)(req, res);
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.route({
    method: ['GET', 'POST', 'OPTIONS'],
    url: `${mountPath}/*`,
    config: { access: 'public', csrfExempt: true },
    handler: async (request, reply) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string; baseUrl?: string };
      const original = raw.url ?? '/';
      raw.originalUrl = original;
      raw.baseUrl = mountPath;
      raw.url = original.slice(mountPath.length) || '/';
      await handle(raw, reply.raw);
    },
  });
}

async function interactionRoutes(app: FastifyInstance, { ctx, embedded }: Options) {
  const { mountPath } = embedded;
  const { db, config } = ctx;
  const restartHref = `${config.publicUrl}/auth/login`;
  const pageHref = (uid: string) => `${mountPath}/interaction/${uid}`;

  app.setErrorHandler((err, request, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 429) {
      const uid = (request.params as { uid?: string } | undefined)?.uid ?? '';
      const retry = uidSchema.safeParse({ uid }).success ? pageHref(uid) : restartHref;
      return sendPage(reply, 429, tooManyAttemptsPage(retry));
    }
    if (err instanceof InteractionExpired) {
      return sendPage(
        reply,
        400,
        messagePage({
          title: 'Demande expirée',
          message: 'Cette demande de connexion a expiré ou a déjà été utilisée.',
          link: { href: restartHref, label: 'Recommencer la connexion' },
        }),
      );
    }
    if (err instanceof AppError && err.status < 500) {
      return sendPage(reply, err.status, messagePage({ title: 'Requête refusée', message: err.message }));
    }
    request.log.error({ err }, 'identity provider page failed');
    return sendPage(
      reply,
      500,
      messagePage({
        title: 'Erreur',
        message: 'Une erreur inattendue est survenue.',
        link: { href: restartHref, label: 'Recommencer la connexion' },
      }),
    );
  });

  /** The interaction this browser is in (its cookie), and it must be the one in the URL. */
  async function interactionOf(request: FastifyRequest, reply: FastifyReply): Promise<Interaction> {
    const params = uidSchema.safeParse(request.params);
    if (!params.success) throw new InteractionExpired();
    const provider = await embedded.provider();
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(request.raw, reply.raw);
    } catch (err) {
      request.log.info({ err }, 'interaction not found');
      throw new InteractionExpired();
    }
    if (interaction.uid !== params.data.uid) throw new InteractionExpired();
    return interaction;
  }

  async function showInteraction(request: FastifyRequest, reply: FastifyReply, interaction: Interaction) {
    const uid = interaction.uid;
    if (interaction.prompt.name === 'login') {
      const hint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : '';
      return sendPage(reply, 200, loginPage({ action: `${pageHref(uid)}/login`, email: hint }));
    }
    if (interaction.prompt.name === 'consent') {
      const accountId = interaction.session?.accountId;
      const account = accountId ? await findAccountById(db, accountId) : undefined;
      if (!account) throw new InteractionExpired();
      const firms = await listAccountFirms(db, account.id);
      const scope = typeof interaction.params.scope === 'string' ? interaction.params.scope : 'openid';
      return sendPage(
        reply,
        200,
        consentPage({
          action: `${pageHref(uid)}/consent`,
          clientName: 'Passerelle',
          email: account.email,
          firmNames: firms.map((f) => f.name),
          scopes: scope.split(' '),
        }),
      );
    }
    request.log.warn({ prompt: interaction.prompt.name }, 'unsupported interaction prompt');
    throw new InteractionExpired();
  }

  app.get(`${mountPath}/interaction/:uid`, { config: { access: 'public' } }, async (request, reply) =>
    showInteraction(request, reply, await interactionOf(request, reply)),
  );

  app.post(
    `${mountPath}/interaction/:uid/login`,
    {
      config: {
        access: 'public',
        csrfExempt: true,
        // Per address and account: slows password guessing without locking the account out.
        rateLimit: {
          max: 10,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `idp-login:${request.ip}:${emailOf(request.body)}`,
        },
      },
    },
    async (request, reply) => {
      const interaction = await interactionOf(request, reply);
      if (interaction.prompt.name !== 'login') return reply.redirect(pageHref(interaction.uid), 303);
      const provider = await embedded.provider();
      const body = loginBodySchema.parse(request.body ?? {});
      const account = body.email ? await findAccountByEmail(db, body.email) : undefined;
      // Unknown account: verify against a decoy so the answer takes the same time.
      const passwordOk = await verifyPassword(
        account?.passwordHash ?? (await decoyPasswordHash()),
        body.password,
      );
      if (!account || !passwordOk) {
        request.log.info({ known: account !== undefined }, 'embedded provider sign-in refused');
        return sendPage(
          reply,
          400,
          loginPage({
            action: `${pageHref(interaction.uid)}/login`,
            email: body.email,
            error: LOGIN_FAILED_MESSAGE,
          }),
        );
      }
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: account.id } },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(returnTo, 303);
    },
  );

  app.post(
    `${mountPath}/interaction/:uid/consent`,
    { config: { access: 'public', csrfExempt: true } },
    async (request, reply) => {
      const interaction = await interactionOf(request, reply);
      if (interaction.prompt.name !== 'consent') return reply.redirect(pageHref(interaction.uid), 303);
      const provider = await embedded.provider();
      const accountId = interaction.session?.accountId;
      const clientId = typeof interaction.params.client_id === 'string' ? interaction.params.client_id : '';
      if (!accountId || !clientId) throw new InteractionExpired();
      const { decision } = consentBodySchema.parse(request.body ?? {});
      const [firm] = await listAccountFirms(db, accountId);
      const audit = (action: string) =>
        recordAudit(
          db,
          { actor: { type: 'anonymous' }, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
          {
            action,
            firmId: firm?.id ?? null,
            targetType: 'idp_account',
            targetId: accountId,
            details: { clientId },
          },
        );

      if (decision === 'non') {
        await audit('idp.consent_denied');
        const returnTo = await provider.interactionResult(
          request.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'End-User refused the authorization request' },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(returnTo, 303);
      }

      const { details } = interaction.prompt;
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({ accountId, clientId });
      if (!grant) throw new InteractionExpired();
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      await audit('idp.consent_granted');
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return reply.redirect(returnTo, 303);
    },
  );
}
