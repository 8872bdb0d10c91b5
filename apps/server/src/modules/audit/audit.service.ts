import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../db/connection.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Actor } from '../../policy.ts';

export interface AuditEntry {
  action: string;
  firmId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export interface RequestOrigin {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
}

export const originOf = (request: FastifyRequest): RequestOrigin => ({
  actor: request.actor,
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

/** Written inside the transaction of the act it records: no act without its trace. */
export async function recordAudit(db: DbOrTx, origin: RequestOrigin, entry: AuditEntry) {
  const actor = origin.actor;
  const actorId = actor.type === 'staff' ? actor.staffId : actor.type === 'client' ? actor.contactId : null;
  await db.insert(auditEvents).values({
    firmId: entry.firmId ?? (actor.type === 'anonymous' ? null : actor.firmId),
    actorType: actor.type,
    actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: origin.ip ?? null,
    userAgent: origin.userAgent?.slice(0, 500) ?? null,
    details: entry.details ?? {},
  });
}
