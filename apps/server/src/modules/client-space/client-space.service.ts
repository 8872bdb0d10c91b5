import type {
  ClientFileList,
  ClientFileOverview,
  ClientFileSummary,
} from '@passerelle/contracts/client-space';
import type { Db } from '../../db/connection.ts';
import {
  type ClientActor,
  type ClientFileAccess,
  clientFileAccess,
  clientFilesAccess,
} from '../../policy.ts';

const summaryOf = (access: ClientFileAccess): ClientFileSummary => ({
  id: access.fileId,
  code: access.file.code,
  name: access.file.name,
  firm: { id: access.firmId, name: access.firmName },
  offer: { code: access.offer.code, label: access.offer.label },
  capabilities: access.capabilities,
  limitedTo: access.limitedTo,
  figuresAllowed: access.figuresAllowed,
});

/** The client space: what a contact sees, always through the policy's access rule. */
export function createClientSpaceService(db: Db) {
  return {
    async listFiles(actor: ClientActor): Promise<ClientFileList> {
      return { items: (await clientFilesAccess(db, actor)).map(summaryOf) };
    },

    async fileOverview(actor: ClientActor, fileId: string): Promise<ClientFileOverview> {
      const access = await clientFileAccess(db, actor, fileId);
      return {
        ...summaryOf(access),
        offer: access.offer,
        legalForm: access.file.legalForm,
        siren: access.file.siren,
        fiscalYearEnd: access.file.fiscalYearEnd,
      };
    },
  };
}
