import type { ContactInput, Link } from '@passerelle/contracts/collaboration';
import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { collaborativeServices } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/sql.ts';
import { assertStaffCanChangeFile, assertStaffCanSeeFile, type StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findActiveRole } from '../org-roles/org-roles.repository.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import * as repo from './contacts.repository.ts';

type ContactRow = NonNullable<Awaited<ReturnType<typeof repo.findContact>>>;

const toContact = (row: ContactRow) => ({
  id: row.contact.id,
  civility: row.contact.civility,
  lastName: row.contact.lastName,
  firstName: row.contact.firstName,
  email: row.contact.email,
  phone: row.contact.phone,
  orgRole:
    row.roleId && row.roleName
      ? { id: row.roleId, name: row.roleName, retired: row.roleRetiredAt !== null }
      : null,
  invitationState: row.contact.invitationState,
  firstSignInAt: row.contact.firstSignInAt?.toISOString() ?? null,
  lastSignInAt: row.contact.lastSignInAt?.toISOString() ?? null,
  fileCount: row.fileCount,
});

/** PostgreSQL unique violation on the e-mail index: someone else took it between check and insert. */

async function assertRolePickable(
  db: DbOrTx,
  firmId: string,
  orgRoleId: string | null | undefined,
  current?: string | null,
) {
  if (!orgRoleId || orgRoleId === current) return;
  if (!(await findActiveRole(db, firmId, orgRoleId))) {
    throw new AppError('ROLE_RETIRED', undefined, [
      { path: 'orgRoleId', code: 'ROLE_RETIRED', message: 'Rôle retiré ou inconnu' },
    ]);
  }
}

export function createContactsService(db: Db) {
  const emailTaken = () =>
    new AppError('EMAIL_TAKEN', undefined, [
      { path: 'email', code: 'EMAIL_TAKEN', message: 'Un interlocuteur du cabinet utilise déjà cet e-mail.' },
    ]);

  const visibleFile = async (tx: DbOrTx, actor: StaffActor, fileId: string, change: boolean) => {
    const file = await findFile(tx, actor.firmId, fileId);
    if (change) assertStaffCanChangeFile(actor, file);
    else assertStaffCanSeeFile(actor, file);
    return file;
  };

  const links = async (
    tx: DbOrTx,
    actor: StaffActor,
    by: { contactId?: string; fileId?: string },
  ): Promise<Link[]> => {
    const rows = await repo.listLinks(tx, actor.firmId, by);
    const services = await repo.listServicesFor(tx, actor.firmId, by);
    const restricted = actor.role === 'collaborateur' && !actor.seesAllFiles;
    return rows
      .filter((r) => !restricted || r.responsibleId === actor.staffId)
      .map((r) => ({
        contactId: r.link.contactId,
        fileId: r.link.fileId,
        fileCode: r.fileCode,
        fileName: r.fileName,
        contactName: `${r.contactFirst} ${r.contactLast}`,
        contactEmail: r.contactEmail,
        limitedTo: r.link.limitedTo ?? null,
        figuresAllowed: r.link.figuresAllowed,
        fileOffer: r.offerCode && r.offerLabel ? { code: r.offerCode, label: r.offerLabel } : null,
        services: services
          .filter((s) => s.service.fileId === r.link.fileId && s.service.contactId === r.link.contactId)
          .map((s) => ({
            id: s.service.id,
            offerCode: s.service.offerCode,
            offerLabel: s.offerLabel,
            state: s.service.state,
            proposedAt: s.service.proposedAt.toISOString(),
          })),
      }));
  };

  const service = {
    async list(actor: StaffActor, q: string | undefined, page: number, pageSize: number) {
      const { rows, total } = await repo.listContacts(db, actor.firmId, q, page, pageSize);
      return { items: rows.map(toContact), total };
    },

    async get(actor: StaffActor, id: string) {
      const row = await repo.findContact(db, actor.firmId, id);
      if (!row) throw new AppError('NOT_FOUND');
      return toContact(row);
    },

    async create(actor: StaffActor, origin: RequestOrigin, input: ContactInput) {
      try {
        return await db.transaction(async (tx) => {
          if (await repo.findContactByEmail(tx, actor.firmId, input.email)) throw emailTaken();
          await assertRolePickable(tx, actor.firmId, input.orgRoleId);
          const contact = await repo.insertContact(tx, {
            firmId: actor.firmId,
            civility: input.civility ?? null,
            lastName: input.lastName,
            firstName: input.firstName,
            email: input.email,
            phone: input.phone || null,
            orgRoleId: input.orgRoleId ?? null,
          });
          if (!contact) throw new AppError('INTERNAL');
          await recordAudit(tx, origin, {
            action: 'contact.created',
            targetType: 'contact',
            targetId: contact.id,
            details: { email: contact.email },
          });
          const row = await repo.findContact(tx, actor.firmId, contact.id);
          if (!row) throw new AppError('INTERNAL');
          return toContact(row);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }
    },

    async update(actor: StaffActor, origin: RequestOrigin, id: string, input: Partial<ContactInput>) {
      try {
        return await db.transaction(async (tx) => {
          const current = await repo.findContact(tx, actor.firmId, id);
          if (!current) throw new AppError('NOT_FOUND');
          if (
            input.email !== undefined &&
            input.email.toLowerCase() !== current.contact.email.toLowerCase()
          ) {
            const other = await repo.findContactByEmail(tx, actor.firmId, input.email);
            if (other && other.id !== id) throw emailTaken();
          }
          await assertRolePickable(tx, actor.firmId, input.orgRoleId, current.contact.orgRoleId);
          await repo.updateContact(tx, id, {
            ...(input.civility !== undefined ? { civility: input.civility } : {}),
            ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
            ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
            ...(input.email !== undefined ? { email: input.email } : {}),
            ...(input.phone !== undefined ? { phone: input.phone || null } : {}),
            ...(input.orgRoleId !== undefined ? { orgRoleId: input.orgRoleId } : {}),
          });
          await recordAudit(tx, origin, {
            action: 'contact.updated',
            targetType: 'contact',
            targetId: id,
            details: { fields: Object.keys(input) },
          });
          const row = await repo.findContact(tx, actor.firmId, id);
          if (!row) throw new AppError('NOT_FOUND');
          return toContact(row);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }
    },

    async listLinksOfContact(actor: StaffActor, contactId: string) {
      if (!(await repo.findContact(db, actor.firmId, contactId))) throw new AppError('NOT_FOUND');
      return { items: await links(db, actor, { contactId }) };
    },

    async listLinksOfFile(actor: StaffActor, fileId: string) {
      await visibleFile(db, actor, fileId, false);
      return { items: await links(db, actor, { fileId }) };
    },

    /** Both ways of the procedure end here: from the portfolio and from the contact. */
    async link(
      actor: StaffActor,
      origin: RequestOrigin,
      contactId: string,
      fileId: string,
      limitedTo?: string[] | null,
    ) {
      return db.transaction(async (tx) => {
        if (!(await repo.findContact(tx, actor.firmId, contactId))) throw new AppError('NOT_FOUND');
        await visibleFile(tx, actor, fileId, true);
        if (await repo.findLink(tx, contactId, fileId)) throw new AppError('ALREADY_LINKED');
        await repo.insertLink(tx, { contactId, fileId, firmId: actor.firmId, limitedTo: limitedTo ?? null });
        await recordAudit(tx, origin, {
          action: 'contact.linked',
          targetType: 'file',
          targetId: fileId,
          details: { contactId, limitedTo: limitedTo ?? null },
        });
        const [created] = (await links(tx, actor, { contactId, fileId })) ?? [];
        if (!created) throw new AppError('INTERNAL');
        return created;
      });
    },

    async updateLink(
      actor: StaffActor,
      origin: RequestOrigin,
      contactId: string,
      fileId: string,
      input: { limitedTo?: string[] | null; figuresAllowed?: boolean },
    ) {
      return db.transaction(async (tx) => {
        await visibleFile(tx, actor, fileId, true);
        const link = await repo.findLink(tx, contactId, fileId);
        if (!link || link.firmId !== actor.firmId) throw new AppError('NOT_FOUND');
        const limitedTo =
          input.limitedTo === undefined ? undefined : input.limitedTo?.length ? input.limitedTo : null;
        await repo.updateLink(tx, contactId, fileId, {
          ...(limitedTo !== undefined ? { limitedTo } : {}),
          ...(input.figuresAllowed !== undefined ? { figuresAllowed: input.figuresAllowed } : {}),
        });
        await recordAudit(tx, origin, {
          action: 'contact.link_updated',
          targetType: 'file',
          targetId: fileId,
          details: { contactId, ...input },
        });
        const [updated] = await links(tx, actor, { contactId, fileId });
        if (!updated) throw new AppError('NOT_FOUND');
        return updated;
      });
    },

    /** Unlinking ends every service of the contact on the file, at once. */
    async unlink(actor: StaffActor, origin: RequestOrigin, contactId: string, fileId: string) {
      await db.transaction(async (tx) => {
        await visibleFile(tx, actor, fileId, true);
        const link = await repo.findLink(tx, contactId, fileId);
        if (!link || link.firmId !== actor.firmId) throw new AppError('NOT_FOUND');
        await tx
          .update(collaborativeServices)
          .set({ state: 'revoquee', revokedAt: new Date(), revokedBy: actor.staffId })
          .where(
            and(
              eq(collaborativeServices.contactId, contactId),
              eq(collaborativeServices.fileId, fileId),
              eq(collaborativeServices.state, 'proposee'),
            ),
          );
        await repo.deleteLink(tx, contactId, fileId);
        await recordAudit(tx, origin, {
          action: 'contact.unlinked',
          targetType: 'file',
          targetId: fileId,
          details: { contactId },
        });
      });
    },
  };
  return service;
}
