import {
  contactInputSchema,
  contactListQuerySchema,
  contactListSchema,
  contactSchema,
  contactUpdateSchema,
  fileContactLinkInputSchema,
  linkInputSchema,
  linkListSchema,
  linkSchema,
  linkUpdateSchema,
} from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { createContactsService } from './contacts.service.ts';

const contactParams = z.object({ contactId: z.uuid() });
const fileParams = z.object({ fileId: z.uuid() });
const linkParams = z.object({ contactId: z.uuid(), fileId: z.uuid() });

export async function contactsRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createContactsService(opts.ctx.db);

  app.get(
    '/api/contacts',
    {
      config: { access: 'staff' },
      schema: { querystring: contactListQuerySchema, response: { 200: contactListSchema } },
    },
    (request) =>
      service.list(requireStaff(request.actor), request.query.q, request.query.page, request.query.pageSize),
  );

  app.post(
    '/api/contacts',
    {
      config: { access: 'staff-write' },
      schema: { body: contactInputSchema, response: { 201: contactSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.create(requireStaff(request.actor), originOf(request), request.body)),
  );

  app.get(
    '/api/contacts/:contactId',
    { config: { access: 'staff' }, schema: { params: contactParams, response: { 200: contactSchema } } },
    (request) => service.get(requireStaff(request.actor), request.params.contactId),
  );

  app.patch(
    '/api/contacts/:contactId',
    {
      config: { access: 'staff-write' },
      schema: { params: contactParams, body: contactUpdateSchema, response: { 200: contactSchema } },
    },
    (request) =>
      service.update(requireStaff(request.actor), originOf(request), request.params.contactId, request.body),
  );

  app.get(
    '/api/contacts/:contactId/files',
    { config: { access: 'staff' }, schema: { params: contactParams, response: { 200: linkListSchema } } },
    (request) => service.listLinksOfContact(requireStaff(request.actor), request.params.contactId),
  );

  app.post(
    '/api/contacts/:contactId/files',
    {
      config: { access: 'staff-write' },
      schema: { params: contactParams, body: linkInputSchema, response: { 201: linkSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.link(
            requireStaff(request.actor),
            originOf(request),
            request.params.contactId,
            request.body.fileId,
            request.body.limitedTo,
          ),
        ),
  );

  app.patch(
    '/api/contacts/:contactId/files/:fileId',
    {
      config: { access: 'staff-write' },
      schema: { params: linkParams, body: linkUpdateSchema, response: { 200: linkSchema } },
    },
    (request) =>
      service.updateLink(
        requireStaff(request.actor),
        originOf(request),
        request.params.contactId,
        request.params.fileId,
        request.body,
      ),
  );

  app.delete(
    '/api/contacts/:contactId/files/:fileId',
    { config: { access: 'staff-write' }, schema: { params: linkParams } },
    async (request, reply) => {
      await service.unlink(
        requireStaff(request.actor),
        originOf(request),
        request.params.contactId,
        request.params.fileId,
      );
      return reply.status(204).send();
    },
  );

  // From the portfolio: select the file, pick an existing contact, Valider.
  app.get(
    '/api/files/:fileId/contacts',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: linkListSchema } } },
    (request) => service.listLinksOfFile(requireStaff(request.actor), request.params.fileId),
  );

  app.post(
    '/api/files/:fileId/contacts',
    {
      config: { access: 'staff-write' },
      schema: { params: fileParams, body: fileContactLinkInputSchema, response: { 201: linkSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.link(
            requireStaff(request.actor),
            originOf(request),
            request.body.contactId,
            request.params.fileId,
          ),
        ),
  );
}
