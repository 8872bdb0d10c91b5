import type { Db } from '../../db/connection.ts';
import { AppError } from '../../lib/errors.ts';
import { assertStaffCanChangeFile, type StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import * as repo from './offers.repository.ts';

export function createOffersService(db: Db) {
  return {
    async catalog() {
      const rows = await repo.listOffers(db);
      return { items: rows.map(({ position: _p, ...offer }) => offer) };
    },

    /**
     * Activates one offer on a file (the tile the staff member selected), or none. Whatever
     * is deactivated takes with it, at once, every client service that depended on it.
     */
    async setFileOffer(actor: StaffActor, origin: RequestOrigin, fileId: string, offerCode: string | null) {
      return db.transaction(async (tx) => {
        const file = await findFile(tx, actor.firmId, fileId);
        assertStaffCanChangeFile(actor, file);
        if (offerCode !== null && !(await repo.findOffer(tx, offerCode))) throw new AppError('OFFER_UNKNOWN');

        const deactivated = await repo.deactivateFileOffers(tx, fileId, offerCode ?? undefined);
        for (const code of deactivated) {
          const revoked = await repo.revokeServicesOfOffer(tx, fileId, code, actor.staffId);
          await recordAudit(tx, origin, {
            action: 'offer.deactivated',
            targetType: 'file',
            targetId: fileId,
            details: { offerCode: code, revokedServices: revoked.map((r) => r.id) },
          });
        }
        if (offerCode !== null) {
          const already = await repo.findActiveFileOffer(tx, fileId);
          if (already?.code !== offerCode) {
            await repo.activateFileOffer(tx, { fileId, firmId: actor.firmId, offerCode, by: actor.staffId });
            await recordAudit(tx, origin, {
              action: 'offer.activated',
              targetType: 'file',
              targetId: fileId,
              details: { offerCode },
            });
          }
        }
        const active = await repo.findActiveFileOffer(tx, fileId);
        return {
          offer: active
            ? { code: active.code, label: active.label, activatedAt: active.activatedAt.toISOString() }
            : null,
        };
      });
    },
  };
}
