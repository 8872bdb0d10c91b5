import { and, eq, gt, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { firms, sessions, staffMembers } from '../../db/schema/index.ts';

export type NewSession = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, session: NewSession) {
  await db.insert(sessions).values(session);
}

export async function findLiveSession(db: DbOrTx, idHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return row;
}

export async function findActiveStaffForSession(db: DbOrTx, staffId: string, firmId: string) {
  const [row] = await db
    .select({ staff: staffMembers, settings: firms.settings })
    .from(staffMembers)
    .innerJoin(firms, eq(firms.id, staffMembers.firmId))
    .where(and(eq(staffMembers.id, staffId), eq(staffMembers.firmId, firmId), eq(staffMembers.active, true)))
    .limit(1);
  return row;
}

export async function touchSession(db: DbOrTx, idHash: string, now: Date) {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: DbOrTx, idHash: string) {
  const [row] = await db.delete(sessions).where(eq(sessions.idHash, idHash)).returning();
  return row;
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
