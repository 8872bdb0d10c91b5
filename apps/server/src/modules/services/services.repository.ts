import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { collaborativeServices, firms } from '../../db/schema/index.ts';

export async function findLiveService(db: DbOrTx, fileId: string, contactId: string, offerCode: string) {
  const [row] = await db
    .select()
    .from(collaborativeServices)
    .where(
      and(
        eq(collaborativeServices.fileId, fileId),
        eq(collaborativeServices.contactId, contactId),
        eq(collaborativeServices.offerCode, offerCode),
        eq(collaborativeServices.state, 'proposee'),
      ),
    )
    .limit(1);
  return row;
}

export async function findService(db: DbOrTx, firmId: string, id: string) {
  const [row] = await db
    .select()
    .from(collaborativeServices)
    .where(and(eq(collaborativeServices.id, id), eq(collaborativeServices.firmId, firmId)))
    .limit(1);
  return row;
}

export async function insertService(db: DbOrTx, values: typeof collaborativeServices.$inferInsert) {
  const [row] = await db.insert(collaborativeServices).values(values).returning();
  return row;
}

export async function revokeService(db: DbOrTx, id: string, by: string) {
  const [row] = await db
    .update(collaborativeServices)
    .set({ state: 'revoquee', revokedAt: new Date(), revokedBy: by })
    .where(and(eq(collaborativeServices.id, id), eq(collaborativeServices.state, 'proposee')))
    .returning();
  return row;
}

export async function findFirm(db: DbOrTx, firmId: string) {
  const [row] = await db.select().from(firms).where(eq(firms.id, firmId)).limit(1);
  return row;
}
