import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.ts';
import {
  mailboxApiQuerySchema,
  mailboxApiResponseSchema,
  mailboxIdParamsSchema,
  mailboxPageQuerySchema,
} from './mail.schemas.ts';
import { renderInboxPage, renderMessagePage, renderNotFoundPage } from './mailbox.pages.ts';
import type { MailboxService } from './mailbox.service.ts';

const html = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/**
 * The demo mailbox: registered only with the embedded SMTP server (no SMTP_URL), which the
 * configuration forbids in production. Public on purpose: it is the zero-setup demo's inbox.
 */
export async function mailboxRoutes(fastify: FastifyInstance, opts: { mailbox: MailboxService }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { mailbox } = opts;

  app.get(
    '/mailbox',
    { config: { access: 'public' }, schema: { querystring: mailboxPageQuerySchema } },
    async (request, reply) => {
      const to = request.query.to || undefined;
      return html(reply, renderInboxPage(await mailbox.listSummaries(to), to));
    },
  );

  app.get(
    '/mailbox/:id',
    { config: { access: 'public' }, schema: { params: mailboxIdParamsSchema } },
    async (request, reply) => {
      const message = await mailbox.findMessage(request.params.id);
      return message ? html(reply, renderMessagePage(message)) : html(reply, renderNotFoundPage(), 404);
    },
  );

  app.get(
    '/mailbox/:id/raw',
    { config: { access: 'public' }, schema: { params: mailboxIdParamsSchema } },
    async (request, reply) => {
      const raw = await mailbox.findRaw(request.params.id);
      if (raw === undefined) throw new AppError('NOT_FOUND');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(raw);
    },
  );

  app.get(
    '/api/mailbox',
    {
      config: { access: 'public' },
      schema: { querystring: mailboxApiQuerySchema, response: { 200: mailboxApiResponseSchema } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { messages: await mailbox.listForApi(request.query.to || undefined, request.query.limit) };
    },
  );
}
