import type { FileDashboard } from '@passerelle/contracts/collaboration';
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { staffMembers } from '../../db/schema/index.ts';
import { assertStaffCanChangeFile, assertStaffCanSeeFile, type StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findActiveFileOffer } from '../offers/offers.repository.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import * as repo from './dashboard.repository.ts';

/** Figures of other features shown on the widget; each feature registers its own counter. */
export interface FileActivityCounters {
  pieces(db: DbOrTx, fileId: string): Promise<{ deposited: number; waiting: number }>;
  documentsShared(db: DbOrTx, fileId: string): Promise<number>;
}

export const noActivityYet: FileActivityCounters = {
  pieces: async () => ({ deposited: 0, waiting: 0 }),
  documentsShared: async () => 0,
};

export function createDashboardService(db: Db, counters: FileActivityCounters) {
  const fileDetail = async (tx: DbOrTx, file: NonNullable<Awaited<ReturnType<typeof findFile>>>) => {
    const offer = await findActiveFileOffer(tx, file.id);
    const [responsible] = file.responsibleId
      ? await tx.select().from(staffMembers).where(eq(staffMembers.id, file.responsibleId)).limit(1)
      : [];
    return {
      id: file.id,
      code: file.code,
      name: file.name,
      siren: file.siren,
      legalForm: file.legalForm,
      fiscalYearEnd: file.fiscalYearEnd,
      responsible: responsible
        ? { id: responsible.id, name: `${responsible.firstName} ${responsible.lastName}` }
        : null,
      offer: offer
        ? { code: offer.code, label: offer.label, activatedAt: offer.activatedAt.toISOString() }
        : null,
    };
  };

  return {
    async get(actor: StaffActor, fileId: string): Promise<FileDashboard> {
      const file = await findFile(db, actor.firmId, fileId);
      assertStaffCanSeeFile(actor, file);
      const detail = await fileDetail(db, file);
      const widget = await repo.findWidget(db, fileId, repo.COLLABORATIVE_WIDGET);
      if (!widget?.active) return { file: detail, collaborativeWidget: { active: false, summary: null } };

      const withAccess = await repo.listContactsWithAccess(db, fileId);
      const seen = new Set<string>();
      const contacts = withAccess
        .filter((r) => !seen.has(r.contact.id) && seen.add(r.contact.id))
        .map(({ contact, proposedAt }) => ({
          contactId: contact.id,
          name: `${contact.firstName} ${contact.lastName}`,
          email: contact.email,
          state: contact.firstSignInAt
            ? ('connecte' as const)
            : contact.invitationState === 'accepted' || contact.userId
              ? ('invitation_acceptee' as const)
              : ('invite' as const),
          invitationState: contact.invitationState,
          invitationError: contact.invitationError,
          firstSignInAt: contact.firstSignInAt?.toISOString() ?? null,
          lastSignInAt: contact.lastSignInAt?.toISOString() ?? null,
          proposedAt: proposedAt.toISOString(),
        }));
      return {
        file: detail,
        collaborativeWidget: {
          active: true,
          summary: {
            offer: detail.offer ? { code: detail.offer.code, label: detail.offer.label } : null,
            contacts,
            pieces: await counters.pieces(db, fileId),
            documentsShared: await counters.documentsShared(db, fileId),
          },
        },
      };
    },

    /** "Initialiser" > "Activation de l'extension" > Ok, and its reverse. */
    async setCollaborativeWidget(actor: StaffActor, origin: RequestOrigin, fileId: string, active: boolean) {
      await db.transaction(async (tx) => {
        const file = await findFile(tx, actor.firmId, fileId);
        assertStaffCanChangeFile(actor, file);
        await repo.setWidget(tx, {
          fileId,
          firmId: actor.firmId,
          widget: repo.COLLABORATIVE_WIDGET,
          active,
          by: actor.staffId,
        });
        await recordAudit(tx, origin, {
          action: active ? 'widget.activated' : 'widget.deactivated',
          targetType: 'file',
          targetId: fileId,
          details: { widget: repo.COLLABORATIVE_WIDGET },
        });
      });
      return this.get(actor, fileId);
    },
  };
}
