import { fileDashboardSchema, widgetUpdateSchema } from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { createDashboardService, type FileActivityCounters } from './dashboard.service.ts';

const fileParams = z.object({ fileId: z.uuid() });

export async function dashboardRoutes(
  fastify: FastifyInstance,
  opts: { ctx: AppContext; counters: FileActivityCounters },
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createDashboardService(opts.ctx.db, opts.counters);

  app.get(
    '/api/files/:fileId/dashboard',
    { config: { access: 'staff' }, schema: { params: fileParams, response: { 200: fileDashboardSchema } } },
    (request) => service.get(requireStaff(request.actor), request.params.fileId),
  );

  app.put(
    '/api/files/:fileId/widgets/collaboratif',
    {
      config: { access: 'staff-write' },
      schema: { params: fileParams, body: widgetUpdateSchema, response: { 200: fileDashboardSchema } },
    },
    (request) =>
      service.setCollaborativeWidget(
        requireStaff(request.actor),
        originOf(request),
        request.params.fileId,
        request.body.active,
      ),
  );
}
