import {
  fileDetailSchema,
  fileInputSchema,
  fileUpdateSchema,
  importReportSchema,
  staffListSchema,
} from '@passerelle/contracts/collaboration';
import { portfolioQuerySchema, portfolioResponseSchema } from '@passerelle/contracts/portfolio';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { IMPORT_MAX_BYTES } from './portfolio.import.ts';
import { createPortfolioService, ImportInvalidError } from './portfolio.service.ts';

const fileParams = z.object({ fileId: z.uuid() });
const importQuery = z.object({
  commit: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** A refused import: the usual error body, plus the report of every line when there is one. */
const importRefusedSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
    report: importReportSchema.optional(),
  }),
});

export async function portfolioRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createPortfolioService(opts.ctx.db);

  // The CSV import sends the file's raw bytes: its encoding is guessed from them, not trusted
  // from a header. Scoped to this plugin; any other content type on the import is a 415.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/files',
    {
      config: { access: 'staff' },
      schema: { querystring: portfolioQuerySchema, response: { 200: portfolioResponseSchema } },
    },
    (request) => service.list(requireStaff(request.actor), request.query),
  );

  app.post(
    '/api/files',
    {
      config: { access: 'staff-write' },
      schema: { body: fileInputSchema, response: { 201: fileDetailSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.create(requireStaff(request.actor), originOf(request), request.body)),
  );

  app.get(
    '/api/files/:fileId',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: fileDetailSchema } } },
    (request) => service.get(requireStaff(request.actor), request.params.fileId),
  );

  app.patch(
    '/api/files/:fileId',
    {
      config: { access: 'staff-write' },
      schema: { params: fileParams, body: fileUpdateSchema, response: { 200: fileDetailSchema } },
    },
    (request) =>
      service.update(requireStaff(request.actor), originOf(request), request.params.fileId, request.body),
  );

  app.get(
    '/api/staff',
    { config: { access: 'staff' }, schema: { response: { 200: staffListSchema } } },
    (request) => service.listStaff(requireStaff(request.actor)),
  );

  /**
   * `commit=false` (default): the report, nothing written. `commit=true`: all lines or none;
   * a refused file answers 400 IMPORT_INVALID with the report under `error.report`.
   */
  app.post(
    '/api/files/import',
    {
      config: { access: 'staff-write' },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: { querystring: importQuery, response: { 200: importReportSchema, 400: importRefusedSchema } },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      try {
        return await service.importFiles(
          requireStaff(request.actor),
          originOf(request),
          request.body,
          request.query.commit,
        );
      } catch (err) {
        if (!(err instanceof ImportInvalidError)) throw err;
        return reply
          .status(400)
          .send({ error: { code: err.code, message: err.message, report: err.report } });
      }
    },
  );
}
