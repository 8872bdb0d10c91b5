import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Database, migrationsApplied } from '../../db/connection.ts';

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await opts.database.db.execute(sql`select 1`);
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    if (!(await migrationsApplied(opts.database))) {
      return reply.status(503).send({ status: 'unavailable', database: 'migrations pending' });
    }
    return { status: 'ready', database: opts.database.kind };
  });
}
