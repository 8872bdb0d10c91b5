import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { originOf } from '../audit/audit.service.ts';
import { sendPage } from '../identity/html-page.ts';
import type { MailModule } from '../mail/mail.module.ts';
import {
  createAccountPage,
  invitationAcceptedPage,
  invitationPage,
  invitationRefusedPage,
  invitationSignInPage,
  invitationUnavailablePage,
  noAccountPage,
  renewalRequestedPage,
  tooManyInvitationAttemptsPage,
  type UnavailableState,
} from './invitations.pages.ts';
import { createInvitationsService } from './invitations.service.ts';

const params = z.object({ token: z.string().max(200) });
const accountBody = z.object({
  firstName: z.string().max(1000).catch(''),
  lastName: z.string().max(1000).catch(''),
  password: z.string().max(1000).catch(''),
  passwordConfirmation: z.string().max(1000).catch(''),
});
const signInBody = z.object({ password: z.string().max(1000).catch('') });

const unavailable = (reply: FastifyReply, state: UnavailableState, token: string) =>
  sendPage(reply, state === 'unknown' ? 404 : 410, invitationUnavailablePage({ state, token }));

const MINUTE = 60_000;
/** Per address: the links are unguessable; these limits slow down password guessing and mail bombing. */
const limits = {
  page: { max: 60, timeWindow: MINUTE },
  accept: { max: 10, timeWindow: MINUTE },
  createAccount: { max: 10, timeWindow: 15 * MINUTE },
  renew: { max: 5, timeWindow: 15 * MINUTE },
};

class ForeignOrigin extends Error {}

/**
 * The invitation link of the mail (`/invitation/:token`) and its steps, public pages of the
 * embedded provider. Their forms are not behind a session: the unguessable token is the
 * credential, and a state-changing POST must come from our own pages (Origin, or Referer).
 */
export async function invitationRoutes(app: FastifyInstance, opts: { ctx: AppContext; mail: MailModule }) {
  const service = createInvitationsService(opts.ctx, opts.mail);
  const ownOrigin = new URL(opts.ctx.config.publicUrl).origin;

  app.setErrorHandler((err, request, reply) => {
    if ((err as { statusCode?: number }).statusCode === 429)
      return sendPage(reply, 429, tooManyInvitationAttemptsPage());
    if (err instanceof ForeignOrigin)
      return sendPage(reply, 403, invitationRefusedPage('Cette demande ne provient pas de Passerelle.'));
    if (err instanceof AppError && err.status < 500)
      return sendPage(reply, err.status, invitationRefusedPage(err.message));
    request.log.error({ err }, 'invitation page failed');
    return sendPage(reply, 500, invitationRefusedPage('Une erreur inattendue est survenue. Réessayez.'));
  });

  /** The access guard refuses a foreign Origin; these forms also refuse a request with none. */
  const assertOwnOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== ownOrigin) throw new ForeignOrigin();
      return;
    }
    const referer = request.headers.referer;
    if (!referer?.startsWith(`${ownOrigin}/`)) throw new ForeignOrigin();
  };
  const tokenOf = (request: FastifyRequest) => params.parse(request.params).token;
  const form = { access: 'public', csrfExempt: true } as const;

  app.get(
    '/invitation/:token',
    { config: { access: 'public', rateLimit: limits.page } },
    async (request, reply) => {
      const token = tokenOf(request);
      const found = await service.lookup(token);
      if (found.state !== 'valid') return unavailable(reply, found.state, token);
      return sendPage(
        reply,
        200,
        invitationPage({ firmName: found.firm.name, email: found.invitation.email, token }),
      );
    },
  );

  // « Accepter »
  app.post(
    '/invitation/:token',
    { config: { ...form, rateLimit: limits.accept } },
    async (request, reply) => {
      assertOwnOrigin(request);
      const token = tokenOf(request);
      const found = await service.accept(token);
      if (found.state !== 'valid') return unavailable(reply, found.state, token);
      const page = { firmName: found.firm.name, email: found.invitation.email, token };
      return sendPage(reply, 200, found.hasAccount ? invitationSignInPage(page) : noAccountPage(page));
    },
  );

  // « Pas de compte ? Créez-en-un »
  app.get(
    '/invitation/:token/compte',
    { config: { access: 'public', rateLimit: limits.page } },
    async (request, reply) => {
      const token = tokenOf(request);
      const found = await service.accept(token);
      if (found.state !== 'valid') return unavailable(reply, found.state, token);
      const page = { firmName: found.firm.name, email: found.invitation.email, token };
      if (found.hasAccount) return sendPage(reply, 200, invitationSignInPage(page));
      return sendPage(
        reply,
        200,
        createAccountPage({
          ...page,
          values: { firstName: found.contact.firstName, lastName: found.contact.lastName },
        }),
      );
    },
  );

  app.post(
    '/invitation/:token/compte',
    { config: { ...form, rateLimit: limits.createAccount } },
    async (request, reply) => {
      assertOwnOrigin(request);
      const token = tokenOf(request);
      const body = accountBody.parse(request.body ?? {});
      const outcome = await service.acceptWithNewAccount(token, body, originOf(request));
      switch (outcome.kind) {
        case 'accepted':
          return sendPage(reply, 200, invitationAcceptedPage(outcome));
        case 'unavailable':
          return unavailable(reply, outcome.state, token);
        case 'invalid':
        case 'has_account': {
          const found = await service.lookup(token);
          if (found.state !== 'valid') return unavailable(reply, found.state, token);
          const page = { firmName: found.firm.name, email: found.invitation.email, token };
          if (outcome.kind === 'has_account') return sendPage(reply, 409, invitationSignInPage(page));
          return sendPage(
            reply,
            400,
            createAccountPage({ ...page, values: outcome.values, errors: outcome.errors }),
          );
        }
      }
    },
  );

  app.post(
    '/invitation/:token/connexion',
    { config: { ...form, rateLimit: limits.accept } },
    async (request, reply) => {
      assertOwnOrigin(request);
      const token = tokenOf(request);
      const { password } = signInBody.parse(request.body ?? {});
      const outcome = await service.acceptWithExistingAccount(token, password, originOf(request));
      switch (outcome.kind) {
        case 'accepted':
          return sendPage(reply, 200, invitationAcceptedPage(outcome));
        case 'unavailable':
          return unavailable(reply, outcome.state, token);
        case 'no_account':
        case 'wrong_password': {
          const found = await service.lookup(token);
          if (found.state !== 'valid') return unavailable(reply, found.state, token);
          const page = { firmName: found.firm.name, email: found.invitation.email, token };
          if (outcome.kind === 'no_account') return sendPage(reply, 200, noAccountPage(page));
          return sendPage(reply, 400, invitationSignInPage({ ...page, error: 'Mot de passe incorrect.' }));
        }
      }
    },
  );

  app.post(
    '/invitation/:token/renouveler',
    { config: { ...form, rateLimit: limits.renew } },
    async (request, reply) => {
      assertOwnOrigin(request);
      await service.renew(tokenOf(request), originOf(request));
      return sendPage(reply, 200, renewalRequestedPage());
    },
  );
}
