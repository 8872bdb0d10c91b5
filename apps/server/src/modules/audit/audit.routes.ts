import { auditListSchema, auditQuerySchema } from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { listAuditEvents } from './audit.repository.ts';

type Row = Awaited<ReturnType<typeof listAuditEvents>>[number];
const toEvent = ({ event, actorName }: Row) => ({
  id: event.id,
  at: event.at.toISOString(),
  action: event.action,
  actorType: event.actorType,
  actorId: event.actorId,
  actorName,
  targetType: event.targetType,
  targetId: event.targetId,
  ip: event.ip,
  userAgent: event.userAgent,
  details: event.details,
});

/** A CSV cell that a spreadsheet will neither split nor execute as a formula. */
const csvCell = (value: unknown) => {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
};

export async function auditRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/audit',
    {
      config: { access: 'admin' },
      schema: { querystring: auditQuerySchema, response: { 200: auditListSchema } },
    },
    async (request) => {
      const actor = requireStaff(request.actor);
      return { items: (await listAuditEvents(opts.ctx.db, actor.firmId, request.query)).map(toEvent) };
    },
  );

  app.get(
    '/api/audit/export.csv',
    { config: { access: 'admin' }, schema: { querystring: auditQuerySchema } },
    async (request, reply) => {
      const actor = requireStaff(request.actor);
      const rows = (
        await listAuditEvents(opts.ctx.db, actor.firmId, { ...request.query, limit: 50_000 })
      ).map(toEvent);
      const header = [
        'date',
        'action',
        'acteur',
        'type acteur',
        'cible',
        'id cible',
        'ip',
        'navigateur',
        'détails',
      ];
      const lines = rows.map((e) =>
        [e.at, e.action, e.actorName, e.actorType, e.targetType, e.targetId, e.ip, e.userAgent, e.details]
          .map(csvCell)
          .join(';'),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="journal-audit.csv"')
        .send(`\uFEFF${[header.map(csvCell).join(';'), ...lines].join('\r\n')}\r\n`);
    },
  );
}
