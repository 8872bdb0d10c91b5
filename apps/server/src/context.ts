import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database, Db } from './db/connection.ts';
import type { BlobStore } from './lib/storage/blob-store.ts';
import type { FolderPageCache } from './modules/ged/folder-page-cache.ts';
import type { SessionService } from './modules/sessions/sessions.service.ts';

/** What every module is built from; passed explicitly, never a global. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  sessions: SessionService;
  /** The firm's GED folder pages, as sent, while nothing that shapes them changed (decision 122). */
  gedPages: FolderPageCache;
  /** Content-addressed file storage (uploads, kept FEC files). */
  blobs: BlobStore;
  log: FastifyBaseLogger;
}
