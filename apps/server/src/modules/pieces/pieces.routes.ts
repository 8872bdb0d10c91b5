import {
  clientDashboardSchema,
  clientPieceListSchema,
  clientPiecesQuerySchema,
  pieceInboxQuerySchema,
  piecePageSchema,
  pieceSchema,
  pieceUpdateSchema,
} from '@passerelle/contracts/ged';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireClient, requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { registerMultipart, sendUploadResults } from '../ged/ged.routes.ts';
import type { MultipartPart } from '../ged/ged.upload.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { createPiecesService } from './pieces.service.ts';

const fileParams = z.object({ fileId: z.uuid() });
const pieceParams = z.object({ pieceId: z.uuid() });

export async function piecesRoutes(fastify: FastifyInstance, opts: { ctx: AppContext; mail: MailModule }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createPiecesService(opts.ctx, opts.mail);
  await registerMultipart(app, opts.ctx);

  // ---- Firm -----------------------------------------------------------------------------------
  app.get(
    '/api/pieces',
    {
      config: { access: 'staff' },
      schema: { querystring: pieceInboxQuerySchema, response: { 200: piecePageSchema } },
    },
    (request) => service.inbox(requireStaff(request.actor), request.query),
  );

  app.patch(
    '/api/pieces/:pieceId',
    {
      config: { access: 'staff-write' },
      schema: { params: pieceParams, body: pieceUpdateSchema, response: { 200: pieceSchema } },
    },
    (request) =>
      service.process(requireStaff(request.actor), originOf(request), request.params.pieceId, request.body),
  );

  // ---- Client (Start: pieces.deposit, dashboard.read) -----------------------------------------
  app.post(
    '/api/client/files/:fileId/pieces',
    {
      config: { access: 'client', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { params: fileParams },
    },
    async (request, reply) => {
      const results = await service.deposit(
        requireClient(request.actor),
        originOf(request),
        request.params.fileId,
        request.parts() as AsyncIterable<MultipartPart>,
      );
      return sendUploadResults(
        reply,
        results.map((r) => ({
          ...r,
          ...(r.ok ? {} : { error: { code: r.code ?? '', message: r.message ?? '' } }),
        })),
      );
    },
  );

  app.get(
    '/api/client/files/:fileId/pieces',
    {
      config: { access: 'client' },
      schema: {
        params: fileParams,
        querystring: clientPiecesQuerySchema,
        response: { 200: clientPieceListSchema },
      },
    },
    (request) => service.clientList(requireClient(request.actor), request.params.fileId, request.query),
  );

  app.get(
    '/api/client/files/:fileId/dashboard',
    {
      config: { access: 'client' },
      schema: { params: fileParams, response: { 200: clientDashboardSchema } },
    },
    (request) => service.clientDashboard(requireClient(request.actor), request.params.fileId),
  );
}
