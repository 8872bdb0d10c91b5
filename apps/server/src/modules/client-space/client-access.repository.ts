import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import {
  clientFiles,
  collaborativeServices,
  contactFiles,
  contacts,
  fileOffers,
  firms,
  offers,
} from '../../db/schema/index.ts';

/**
 * The rule of client access (SPEC §7) as one query: a contact sees a file while the file has
 * the offer active, the contact is linked to the file, and a service under that offer was
 * proposed to the contact and not revoked. Read from the data on every request, never cached.
 * One row per live service; the policy merges them per file.
 */
export async function findLiveAccessRows(
  db: DbOrTx,
  by: { contactId: string; firmId?: string; userId?: string; fileId?: string },
) {
  const where: SQL[] = [
    eq(collaborativeServices.contactId, by.contactId),
    eq(collaborativeServices.state, 'proposee'),
  ];
  if (by.firmId) where.push(eq(contacts.firmId, by.firmId));
  if (by.userId) where.push(eq(contacts.userId, by.userId));
  if (by.fileId) where.push(eq(collaborativeServices.fileId, by.fileId));
  return db
    .select({
      fileId: clientFiles.id,
      fileCode: clientFiles.code,
      fileName: clientFiles.name,
      legalForm: clientFiles.legalForm,
      siren: clientFiles.siren,
      fiscalYearEnd: clientFiles.fiscalYearEnd,
      firmId: firms.id,
      firmName: firms.name,
      offerCode: offers.code,
      offerLabel: offers.label,
      offerDescription: offers.description,
      offerPosition: offers.position,
      capabilities: offers.capabilities,
      limitedTo: contactFiles.limitedTo,
      figuresAllowed: contactFiles.figuresAllowed,
    })
    .from(collaborativeServices)
    .innerJoin(contacts, eq(contacts.id, collaborativeServices.contactId))
    .innerJoin(
      contactFiles,
      and(
        eq(contactFiles.contactId, collaborativeServices.contactId),
        eq(contactFiles.fileId, collaborativeServices.fileId),
      ),
    )
    .innerJoin(
      fileOffers,
      and(
        eq(fileOffers.fileId, collaborativeServices.fileId),
        eq(fileOffers.offerCode, collaborativeServices.offerCode),
        eq(fileOffers.active, true),
      ),
    )
    .innerJoin(offers, eq(offers.code, collaborativeServices.offerCode))
    .innerJoin(
      clientFiles,
      and(eq(clientFiles.id, collaborativeServices.fileId), eq(clientFiles.firmId, contacts.firmId)),
    )
    .innerJoin(firms, eq(firms.id, contacts.firmId))
    .where(and(...where))
    .orderBy(asc(clientFiles.name), asc(clientFiles.code), asc(offers.position));
}

export type LiveAccessRow = Awaited<ReturnType<typeof findLiveAccessRows>>[number];
