import type { DbOrTx } from '../../db/connection.ts';
import type { FileActivityCounters } from '../dashboard/dashboard.service.ts';
import { countShared, listFolders } from '../ged/ged.repository.ts';
import { clientVisibleFolders } from '../ged/ged.tree.ts';
import { countFilePieces } from './pieces.repository.ts';

/** The file dashboard widget's figures: pieces deposited / waiting, documents the client can see. */
export const gedActivityCounters: FileActivityCounters = {
  pieces: (db: DbOrTx, fileId: string) => countFilePieces(db, fileId),
  async documentsShared(db: DbOrTx, fileId: string) {
    const folders = clientVisibleFolders(
      (await listFolders(db, fileId)).map((r) => r.folder),
      null,
    );
    return countShared(
      db,
      fileId,
      folders.map((f) => f.id),
    );
  },
};
