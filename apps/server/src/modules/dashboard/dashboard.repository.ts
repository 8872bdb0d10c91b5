import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { collaborativeServices, contacts, fileWidgets } from '../../db/schema/index.ts';

export const COLLABORATIVE_WIDGET = 'collaboratif';

export async function findWidget(db: DbOrTx, fileId: string, widget: string) {
  const [row] = await db
    .select()
    .from(fileWidgets)
    .where(and(eq(fileWidgets.fileId, fileId), eq(fileWidgets.widget, widget)))
    .limit(1);
  return row;
}

export async function setWidget(
  db: DbOrTx,
  values: { fileId: string; firmId: string; widget: string; active: boolean; by: string },
) {
  await db
    .insert(fileWidgets)
    .values({
      fileId: values.fileId,
      firmId: values.firmId,
      widget: values.widget,
      active: values.active,
      changedBy: values.by,
    })
    .onConflictDoUpdate({
      target: [fileWidgets.fileId, fileWidgets.widget],
      set: { active: values.active, changedAt: new Date(), changedBy: values.by },
    });
}

/** Contacts with a live service on the file, with their invitation and sign-in state. */
export async function listContactsWithAccess(db: DbOrTx, fileId: string) {
  return db
    .select({
      contact: contacts,
      proposedAt: collaborativeServices.proposedAt,
      offerCode: collaborativeServices.offerCode,
    })
    .from(collaborativeServices)
    .innerJoin(contacts, eq(contacts.id, collaborativeServices.contactId))
    .where(and(eq(collaborativeServices.fileId, fileId), eq(collaborativeServices.state, 'proposee')))
    .orderBy(asc(contacts.lastName), asc(contacts.firstName));
}
