import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { auditEvents, contacts, staffMembers } from '../../db/schema/index.ts';

export async function listAuditEvents(
  db: DbOrTx,
  firmId: string,
  query: { action?: string; targetId?: string; before?: string; limit: number },
) {
  const where: SQL[] = [eq(auditEvents.firmId, firmId)];
  if (query.action) where.push(eq(auditEvents.action, query.action));
  if (query.targetId) where.push(eq(auditEvents.targetId, query.targetId));
  if (query.before) where.push(lt(auditEvents.at, new Date(query.before)));
  return db
    .select({
      event: auditEvents,
      actorName: sql<string | null>`coalesce(
        (select s.first_name || ' ' || s.last_name from ${staffMembers} s where s.id = ${auditEvents.actorId}),
        (select c.first_name || ' ' || c.last_name from ${contacts} c where c.id = ${auditEvents.actorId}))`,
    })
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(query.limit);
}
