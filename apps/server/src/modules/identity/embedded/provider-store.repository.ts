import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../../db/connection.ts';
import { idpStore } from '../../../db/schema/index.ts';

/** Models whose rows hang off a grant: revoking the grant deletes them all. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

const notExpired = (now: Date) => or(isNull(idpStore.expiresAt), gt(idpStore.expiresAt, now));

function toPayload(row: { payload: Record<string, unknown>; consumedAt: Date | null }): AdapterPayload {
  const payload: AdapterPayload = { ...row.payload };
  if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
  return payload;
}

/**
 * oidc-provider's persistent storage on `idp_store`: one adapter per model (Session,
 * Interaction, AuthorizationCode, AccessToken, Grant…). Expired rows are invisible and swept.
 */
export function createProviderAdapterFactory(db: Db) {
  return (model: string): Adapter => {
    const key = (id: string) => and(eq(idpStore.model, model), eq(idpStore.id, id));

    const findWhere = async (where: ReturnType<typeof and>) => {
      const [row] = await db
        .select({ payload: idpStore.payload, consumedAt: idpStore.consumedAt })
        .from(idpStore)
        .where(and(where, notExpired(new Date())))
        .limit(1);
      return row ? toPayload(row) : undefined;
    };

    return {
      async upsert(id, payload, expiresIn) {
        const values = {
          payload: payload as Record<string, unknown>,
          grantId: GRANTABLE.has(model) && typeof payload.grantId === 'string' ? payload.grantId : null,
          userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
          uid: model === 'Session' && typeof payload.uid === 'string' ? payload.uid : null,
          expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
          consumedAt: typeof payload.consumed === 'number' ? new Date(payload.consumed * 1000) : null,
        };
        await db
          .insert(idpStore)
          .values({ model, id, ...values })
          .onConflictDoUpdate({ target: [idpStore.model, idpStore.id], set: values });
      },
      find: (id) => findWhere(key(id)),
      findByUid: (uid) => findWhere(and(eq(idpStore.model, model), eq(idpStore.uid, uid))),
      findByUserCode: (userCode) =>
        findWhere(and(eq(idpStore.model, model), eq(idpStore.userCode, userCode))),
      async consume(id) {
        await db.update(idpStore).set({ consumedAt: new Date() }).where(key(id));
      },
      async destroy(id) {
        await db.delete(idpStore).where(key(id));
      },
      async revokeByGrantId(grantId) {
        await db.delete(idpStore).where(eq(idpStore.grantId, grantId));
      },
    };
  };
}

/**
 * The newest live grant an account gave a client, so consent is remembered beyond one
 * provider session (oidc-provider only looks in the current session by default).
 */
export async function findGrantIdFor(
  db: Db,
  accountId: string,
  clientId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: idpStore.id })
    .from(idpStore)
    .where(
      and(
        eq(idpStore.model, 'Grant'),
        sql`${idpStore.payload}->>'accountId' = ${accountId}`,
        sql`${idpStore.payload}->>'clientId' = ${clientId}`,
        notExpired(new Date()),
      ),
    )
    .orderBy(desc(idpStore.expiresAt))
    .limit(1);
  return row?.id;
}

export async function deleteExpiredProviderRows(db: Db, now: Date) {
  await db.delete(idpStore).where(lt(idpStore.expiresAt, now));
}
