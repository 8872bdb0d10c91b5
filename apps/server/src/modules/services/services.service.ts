import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/sql.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { assertStaffCanChangeFile, type StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import * as contactsRepo from '../contacts/contacts.repository.ts';
import { findIdentityProvider } from '../firm-settings/identity-provider.repository.ts';
import { queueGuestInvitation } from '../identity/entra/guest-invitation.ts';
import * as invitationsRepo from '../invitations/invitations.repository.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { findActiveFileOffer } from '../offers/offers.repository.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import { accessMail, invitationMail } from './services.mails.ts';
import * as repo from './services.repository.ts';

export function createServicesService(db: Db, config: Config, mail: MailModule) {
  return {
    /**
     * "Proposer un service collaboratif pour ce dossier": records the service and, in the same
     * transaction, queues the client journey's mails — the invitation to join the firm's
     * organization when the contact is not a member yet, and the access mail.
     */
    async propose(
      actor: StaffActor,
      origin: RequestOrigin,
      contactId: string,
      fileId: string,
      offerCode: string,
    ) {
      try {
        return await db.transaction(async (tx) => {
          const file = await findFile(tx, actor.firmId, fileId);
          assertStaffCanChangeFile(actor, file);
          const contactRow = await contactsRepo.findContact(tx, actor.firmId, contactId);
          if (!contactRow) throw new AppError('NOT_FOUND');
          const contact = contactRow.contact;
          if (!(await contactsRepo.findLink(tx, contactId, fileId))) throw new AppError('CONTACT_NOT_LINKED');
          const offer = await findActiveFileOffer(tx, fileId);
          if (!offer || offer.code !== offerCode) throw new AppError('OFFER_NOT_ACTIVE');
          if (await repo.findLiveService(tx, fileId, contactId, offerCode))
            throw new AppError('SERVICE_ALREADY_PROPOSED');
          const firm = await repo.findFirm(tx, actor.firmId);
          if (!firm) throw new AppError('NOT_FOUND');

          const created = await repo.insertService(tx, {
            firmId: actor.firmId,
            fileId,
            contactId,
            offerCode,
            proposedBy: actor.staffId,
          });
          if (!created) throw new AppError('INTERNAL');
          await recordAudit(tx, origin, {
            action: 'service.proposed',
            targetType: 'file',
            targetId: fileId,
            details: { serviceId: created.id, contactId, offerCode },
          });

          // The firm's own provider decides how people join: embedded link, Graph, or nothing (OIDC).
          const providerKind = (await findIdentityProvider(tx, actor.firmId))?.kind ?? 'embedded';
          if (providerKind === 'entra' && contact.userId === null && contact.invitationState !== 'accepted') {
            // Sent by the Graph worker after commit; `invitation.sent` is audited when Graph accepts.
            await queueGuestInvitation(tx, {
              publicUrl: config.publicUrl,
              firm,
              contact,
              requestedBy: actor.staffId,
            });
          }
          const needsInvitation =
            config.identity.kind === 'embedded' &&
            providerKind === 'embedded' &&
            contact.userId === null &&
            contact.invitationState !== 'accepted' &&
            !(await invitationsRepo.isEmbeddedMember(tx, actor.firmId, contact.email)) &&
            !(await invitationsRepo.hasLiveInvitation(tx, contactId));
          if (needsInvitation) {
            const token = randomToken();
            await invitationsRepo.revokeLiveInvitations(tx, contactId);
            const invitation = await invitationsRepo.insertInvitation(tx, {
              firmId: actor.firmId,
              contactId,
              email: contact.email,
              tokenHash: sha256(token),
              expiresAt: new Date(Date.now() + config.invitationTtlMs),
            });
            await tx
              .update(contacts)
              .set({ invitationState: 'invited', invitationError: null })
              .where(eq(contacts.id, contactId));
            await mail.outbox.enqueue(
              tx,
              invitationMail({
                firmId: actor.firmId,
                firmName: firm.name,
                to: contact.email,
                firstName: contact.firstName,
                url: `${config.publicUrl}/invitation/${token}`,
                expiresAt: new Date(Date.now() + config.invitationTtlMs),
              }),
            );
            await recordAudit(tx, origin, {
              action: 'invitation.sent',
              targetType: 'contact',
              targetId: contactId,
              details: { invitationId: invitation?.id },
            });
          }
          await mail.outbox.enqueue(
            tx,
            accessMail({
              firmId: actor.firmId,
              firmName: firm.name,
              to: contact.email,
              firstName: contact.firstName,
              fileName: file.name,
              offerLabel: offer.label,
              url: `${config.publicUrl}/espace`,
              identifier: contact.email,
            }),
          );
          return {
            id: created.id,
            offerCode,
            offerLabel: offer.label,
            state: created.state,
            proposedAt: created.proposedAt.toISOString(),
          };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('SERVICE_ALREADY_PROPOSED');
        throw err;
      }
    },

    async revoke(actor: StaffActor, origin: RequestOrigin, serviceId: string) {
      await db.transaction(async (tx) => {
        const service = await repo.findService(tx, actor.firmId, serviceId);
        if (!service) throw new AppError('NOT_FOUND');
        assertStaffCanChangeFile(actor, await findFile(tx, actor.firmId, service.fileId));
        if (service.state !== 'proposee') return;
        await repo.revokeService(tx, serviceId, actor.staffId);
        await recordAudit(tx, origin, {
          action: 'service.revoked',
          targetType: 'file',
          targetId: service.fileId,
          details: { serviceId, contactId: service.contactId, offerCode: service.offerCode },
        });
      });
    },
  };
}
