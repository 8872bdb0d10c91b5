import {
  fileOfferResponseSchema,
  offerListSchema,
  setFileOfferSchema,
} from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { createOffersService } from './offers.service.ts';

const fileParams = z.object({ fileId: z.uuid() });

export async function offersRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createOffersService(opts.ctx.db);

  app.get(
    '/api/offers',
    { config: { access: 'staff' }, schema: { response: { 200: offerListSchema } } },
    () => service.catalog(),
  );

  app.put(
    '/api/files/:fileId/offer',
    {
      config: { access: 'staff-write' },
      schema: { params: fileParams, body: setFileOfferSchema, response: { 200: fileOfferResponseSchema } },
    },
    (request) =>
      service.setFileOffer(
        requireStaff(request.actor),
        originOf(request),
        request.params.fileId,
        request.body.offerCode,
      ),
  );
}
