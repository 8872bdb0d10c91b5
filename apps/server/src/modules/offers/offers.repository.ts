import { and, asc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { collaborativeServices, fileOffers, offers } from '../../db/schema/index.ts';

export const listOffers = (db: DbOrTx) => db.select().from(offers).orderBy(asc(offers.position));

export async function findOffer(db: DbOrTx, code: string) {
  const [row] = await db.select().from(offers).where(eq(offers.code, code)).limit(1);
  return row;
}

export async function findActiveFileOffer(db: DbOrTx, fileId: string) {
  const [row] = await db
    .select({
      code: offers.code,
      label: offers.label,
      activatedAt: fileOffers.activatedAt,
      capabilities: offers.capabilities,
    })
    .from(fileOffers)
    .innerJoin(offers, eq(offers.code, fileOffers.offerCode))
    .where(and(eq(fileOffers.fileId, fileId), eq(fileOffers.active, true)))
    .orderBy(asc(offers.position))
    .limit(1);
  return row;
}

export async function activateFileOffer(
  db: DbOrTx,
  input: { fileId: string; firmId: string; offerCode: string; by: string },
) {
  await db
    .insert(fileOffers)
    .values({ fileId: input.fileId, firmId: input.firmId, offerCode: input.offerCode, activatedBy: input.by })
    .onConflictDoUpdate({
      target: [fileOffers.fileId, fileOffers.offerCode],
      set: { active: true, activatedAt: new Date(), activatedBy: input.by, deactivatedAt: null },
    });
}

/** Deactivates every active offer of the file except `keep`; returns the codes deactivated. */
export async function deactivateFileOffers(db: DbOrTx, fileId: string, keep?: string) {
  const rows = await db
    .update(fileOffers)
    .set({ active: false, deactivatedAt: new Date() })
    .where(
      and(
        eq(fileOffers.fileId, fileId),
        eq(fileOffers.active, true),
        keep === undefined ? undefined : ne(fileOffers.offerCode, keep),
      ),
    )
    .returning({ offerCode: fileOffers.offerCode });
  return rows.map((r) => r.offerCode);
}

/** Services that depended on an offer end with it. */
export async function revokeServicesOfOffer(db: DbOrTx, fileId: string, offerCode: string, by: string) {
  return db
    .update(collaborativeServices)
    .set({ state: 'revoquee', revokedAt: new Date(), revokedBy: by })
    .where(
      and(
        eq(collaborativeServices.fileId, fileId),
        eq(collaborativeServices.offerCode, offerCode),
        eq(collaborativeServices.state, 'proposee'),
      ),
    )
    .returning({ id: collaborativeServices.id, contactId: collaborativeServices.contactId });
}
