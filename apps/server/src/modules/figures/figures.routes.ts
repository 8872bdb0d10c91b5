import multipart from '@fastify/multipart';
import {
  fecImportListSchema,
  fecImportQuerySchema,
  fecImportReportSchema,
  fecImportResultSchema,
  fecRefusedSchema,
  figuresQuerySchema,
  fileFiguresSchema,
} from '@passerelle/contracts/figures';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireClient, requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { createFiguresService } from './figures.service.ts';

const fileParams = z.object({ fileId: z.uuid() });
const importParams = z.object({ fileId: z.uuid(), importId: z.uuid() });

export async function figuresRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createFiguresService(opts.ctx);
  // One file part and nothing much else; the file streams, its size capped by the upload limit.
  const limits = {
    fileSize: opts.ctx.config.uploadMaxBytes,
    files: 1,
    fields: 10,
    fieldSize: 1024,
    parts: 20,
    headerPairs: 50,
  };
  // Scoped to these routes unless the application already parses multipart bodies.
  if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart, { limits });

  app.post(
    '/api/files/:fileId/fec',
    {
      config: { access: 'staff-write', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        params: fileParams,
        querystring: fecImportQuerySchema,
        response: { 201: fecImportResultSchema, 422: fecRefusedSchema },
      },
    },
    async (request, reply) => {
      const outcome = await service.importFec(
        requireStaff(request.actor),
        originOf(request),
        request.params.fileId,
        request.query,
        () => request.file({ limits }),
      );
      if (outcome.status === 'refused') return reply.code(422).send(outcome.body);
      return reply.code(201).send(outcome.result);
    },
  );

  app.get(
    '/api/files/:fileId/fec-imports',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: fecImportListSchema } } },
    (request) => service.listImports(requireStaff(request.actor), request.params.fileId),
  );

  app.get(
    '/api/files/:fileId/fec-imports/:importId/report',
    {
      config: { access: 'staff' },
      schema: { params: importParams, response: { 200: fecImportReportSchema } },
    },
    (request) =>
      service.getImportReport(requireStaff(request.actor), request.params.fileId, request.params.importId),
  );

  app.get(
    '/api/files/:fileId/figures',
    {
      config: { access: 'staff' },
      schema: { params: fileParams, querystring: figuresQuerySchema, response: { 200: fileFiguresSchema } },
    },
    (request) =>
      service.getFigures(requireStaff(request.actor), request.params.fileId, request.query.fiscalYearEnd),
  );

  // The client dashboard's figures: same body as the firm's, behind the client access rule.
  app.get(
    '/api/client/files/:fileId/figures',
    {
      config: { access: 'client' },
      schema: { params: fileParams, querystring: figuresQuerySchema, response: { 200: fileFiguresSchema } },
    },
    (request) =>
      service.getClientFigures(
        requireClient(request.actor),
        request.params.fileId,
        request.query.fiscalYearEnd,
      ),
  );
}
