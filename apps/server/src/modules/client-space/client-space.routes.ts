import { clientFileListSchema, clientFileOverviewSchema } from '@passerelle/contracts/client-space';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireClient } from '../../policy.ts';
import { createClientSpaceService } from './client-space.service.ts';

/** The client space's API: client contacts only; each file is checked by the policy. */
export async function clientSpaceRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createClientSpaceService(opts.ctx.db);

  app.get(
    '/api/client/files',
    { config: { access: 'client' }, schema: { response: { 200: clientFileListSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return service.listFiles(requireClient(request.actor));
    },
  );

  app.get(
    '/api/client/files/:fileId',
    {
      config: { access: 'client' },
      schema: { params: z.object({ fileId: z.uuid() }), response: { 200: clientFileOverviewSchema } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return service.fileOverview(requireClient(request.actor), request.params.fileId);
    },
  );
}
