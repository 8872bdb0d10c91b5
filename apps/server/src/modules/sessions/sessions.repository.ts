import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { firms, sessions, staffMembers } from '../../db/schema/index.ts';

export type NewSession = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, session: NewSession) {
  await db.insert(sessions).values(session);
}

/**
 * The live session and, for a staff session, its active staff member and the firm setting the
 * policy needs, in one round trip. A staff session whose member is inactive, gone or moved to
 * another firm comes back with `staffId` null.
 */
function liveSessionQuery(db: Db) {
  return db
    .select({
      userId: sessions.userId,
      firmId: sessions.firmId,
      kind: sessions.kind,
      principalId: sessions.principalId,
      csrfToken: sessions.csrfToken,
      idToken: sessions.idToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      staffId: staffMembers.id,
      role: staffMembers.role,
      settings: firms.settings,
    })
    .from(sessions)
    .leftJoin(
      staffMembers,
      and(
        eq(sessions.kind, 'staff'),
        eq(staffMembers.id, sessions.principalId),
        eq(staffMembers.firmId, sessions.firmId),
        eq(staffMembers.active, true),
      ),
    )
    .leftJoin(firms, eq(firms.id, staffMembers.firmId))
    .where(
      and(eq(sessions.idHash, sql.placeholder('idHash')), gt(sessions.expiresAt, sql.placeholder('now'))),
    )
    .limit(1)
    .prepare('passerelle_live_session');
}

// Built once per database: every signed-in request that misses the session cache runs it, and a
// named statement is parsed and planned once per connection.
const prepared = new WeakMap<Db, ReturnType<typeof liveSessionQuery>>();

export async function findLiveSessionWithActor(db: Db, idHash: string, now: Date) {
  let query = prepared.get(db);
  if (!query) {
    query = liveSessionQuery(db);
    prepared.set(db, query);
  }
  const [row] = await query.execute({ idHash, now });
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
