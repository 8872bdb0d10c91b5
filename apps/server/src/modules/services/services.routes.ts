import { proposeServiceSchema, serviceSchema } from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { createServicesService } from './services.service.ts';

export async function servicesRoutes(fastify: FastifyInstance, opts: { ctx: AppContext; mail: MailModule }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createServicesService(opts.ctx.db, opts.ctx.config, opts.mail);

  app.post(
    '/api/contacts/:contactId/files/:fileId/services',
    {
      config: { access: 'staff-write' },
      schema: {
        params: z.object({ contactId: z.uuid(), fileId: z.uuid() }),
        body: proposeServiceSchema,
        response: { 201: serviceSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.propose(
            requireStaff(request.actor),
            originOf(request),
            request.params.contactId,
            request.params.fileId,
            request.body.offerCode,
          ),
        ),
  );

  app.post(
    '/api/services/:serviceId/revoke',
    { config: { access: 'staff-write' }, schema: { params: z.object({ serviceId: z.uuid() }) } },
    async (request, reply) => {
      await service.revoke(requireStaff(request.actor), originOf(request), request.params.serviceId);
      return reply.status(204).send();
    },
  );
}
