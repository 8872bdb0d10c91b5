import type { DbOrTx } from '../../db/connection.ts';
import type { StaffActor } from '../../policy.ts';
import * as gedRepo from '../ged/ged.repository.ts';
import { actorName, ensureFolders } from '../ged/ged.service.ts';

export const FEC_GED_FOLDER = 'Comptabilité';

/**
 * Files the raw FEC of an accepted import in the GED folder "Comptabilité", not shared with the
 * client: the document and the import share one transaction. The same content already filed
 * there is kept as it is (one live document per content and file).
 */
export async function fileFecInGed(
  tx: DbOrTx,
  actor: StaffActor,
  input: {
    fileId: string;
    name: string;
    size: number;
    sha256: string;
    blobKey: string;
    fiscalYearEnd: string;
  },
) {
  await ensureFolders(tx, actor.firmId, input.fileId);
  const folder = (await gedRepo.listFolders(tx, input.fileId))
    .map((row) => row.folder)
    .find((f) => f.parentId === null && f.name === FEC_GED_FOLDER);
  // The firm may have renamed or removed the folder: the import stands on its own then.
  if (!folder) return undefined;
  return gedRepo.insertDocument(tx, {
    firmId: actor.firmId,
    fileId: input.fileId,
    folderId: folder.id,
    name: input.name,
    mime: 'text/plain',
    size: input.size,
    sha256: input.sha256,
    blobKey: input.blobKey,
    fiscalYear: Number(input.fiscalYearEnd.slice(0, 4)),
    visibleToClient: false,
    addedByType: 'staff',
    addedById: actor.staffId,
    addedByName: await actorName(tx, actor),
    contentText: null,
  });
}
