import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { openSessionBus, type SessionBus } from '../sessions/sessions.bus.ts';

/**
 * The channel on which PostgreSQL announces, at commit, every change to what a folder page shows:
 * `file:<id>` from the triggers on ged_documents, ged_folders and client_files (migration
 * 0001_ged_change_notify), `all` on a TRUNCATE. See docs/decisions/122-ged-folder-page-cache.md.
 */
export const GED_CHANNEL = 'passerelle_ged';

export const FOLDER_PAGE_CACHE_TTL_MS = 60_000;
/** A stamp per file changed since the last clear; past this many, everything is dropped at once. */
const MAX_STAMPS = 50_000;

/** What the policy needs to decide whether a staff member may see the folder's file. */
export interface FolderPageScope {
  id: string;
  firmId: string;
  responsibleId: string | null;
}

export interface CachedFolderPage {
  scope: FolderPageScope;
  /** The JSON answer, exactly as sent. */
  body: Buffer;
}

interface Entry extends CachedFolderPage {
  /** The invalidation count when the page was read: a later invalidation of its file or firm beats it. */
  epoch: number;
  freshUntil: number;
}

export interface FolderPageCacheOptions {
  /** 0 turns the cache off. */
  maxBytes: number;
  ttlMs?: number;
  /** The clock of the TTL (tests move it). */
  now?: () => number;
}

export interface FolderPageCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

/**
 * The firm's keyset pages of a folder, as sent, kept in process. A page is served again only
 * while nothing that shapes it has changed: each entry remembers the invalidation count at the
 * moment its page was read from the database, and each invalidation of its file, of its firm or
 * of everything stamps a higher count. Invalidations come from PostgreSQL itself (a trigger on
 * every table a page is made of notifies the file at commit, whoever writes: this instance,
 * another, a job, SQL by hand) and, for read-your-writes without waiting for that message, from
 * every state-changing request of this instance (its firm). The policy still decides on every
 * request, on the file's scope stored with the page. The cache is only used while this instance
 * listens to the channel: a lost connection drops everything and turns it off until it is back.
 */
export function createFolderPageCache(db: Db, options: FolderPageCacheOptions) {
  const ttlMs = options.ttlMs ?? FOLDER_PAGE_CACHE_TTL_MS;
  const clock = options.now ?? Date.now;
  const maxEntryBytes = Math.floor(options.maxBytes / 8);
  const entries = new Map<string, Entry>();
  const fileStamps = new Map<string, number>();
  const firmStamps = new Map<string, number>();
  let allStamp = 0;
  let epoch = 0;
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  let bus: SessionBus | null = null;
  const barriers = new Map<string, () => void>();

  const usable = () => options.maxBytes > 0 && bus !== null && bus.listening;

  const remove = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.body.length;
  };

  /** The highest invalidation that concerns this file (and its firm). */
  const stampOf = (fileId: string, firmId: string) =>
    Math.max(allStamp, fileStamps.get(fileId) ?? 0, firmStamps.get(firmId) ?? 0);

  const clear = () => {
    allStamp = ++epoch;
    entries.clear();
    fileStamps.clear();
    firmStamps.clear();
    bytes = 0;
  };

  const stamp = (stamps: Map<string, number>, id: string) => {
    if (stamps.size >= MAX_STAMPS && !stamps.has(id)) {
      clear();
      return;
    }
    stamps.set(id, ++epoch);
  };

  const hear = (payload: string) => {
    if (payload.startsWith('file:') && payload.length > 5) {
      stamp(fileStamps, payload.slice(5));
      return;
    }
    if (payload.startsWith('sync:')) {
      barriers.get(payload.slice(5))?.();
      return;
    }
    // 'all', or a message this version does not know: a stale page is worse than a reload.
    clear();
  };

  return {
    key(folderId: string, cursor: string, limit: number) {
      return `${folderId}\n${limit}\n${cursor}`;
    },

    /** A page read before and still valid, or undefined. */
    get(key: string): CachedFolderPage | undefined {
      const entry = entries.get(key);
      if (entry) {
        if (
          usable() &&
          clock() < entry.freshUntil &&
          entry.epoch >= stampOf(entry.scope.id, entry.scope.firmId)
        ) {
          hits++;
          return entry;
        }
        remove(key, entry);
      }
      misses++;
      return undefined;
    },

    /** Call before reading a page from the database; hand the result to `store`. */
    begin(): number {
      return epoch;
    },

    /** Keeps a page read since `begin` unless its file or firm changed in the meantime. */
    store(key: string, begun: number, page: CachedFolderPage) {
      if (!usable() || page.body.length > maxEntryBytes) return;
      if (begun < stampOf(page.scope.id, page.scope.firmId)) return;
      const previous = entries.get(key);
      if (previous) remove(key, previous);
      for (const [oldestKey, oldest] of entries) {
        if (bytes + page.body.length <= options.maxBytes) break;
        remove(oldestKey, oldest);
      }
      entries.set(key, { ...page, epoch: begun, freshUntil: clock() + ttlMs });
      bytes += page.body.length;
    },

    invalidateFile(fileId: string) {
      stamp(fileStamps, fileId);
    },

    /** After a state-changing request of this firm on this instance (before its answer leaves). */
    invalidateFirm(firmId: string) {
      stamp(firmStamps, firmId);
    },

    clear,

    /**
     * Resolves once every change committed before the call has been heard: a marker sent on the
     * channel now arrives after their notifications (PostgreSQL delivers them in commit order).
     */
    async settled(timeoutMs = 5_000) {
      if (!bus) return;
      const nonce = randomUUID();
      const heard = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          barriers.delete(nonce);
          reject(new Error('GED change channel: marker not heard'));
        }, timeoutMs);
        barriers.set(nonce, () => {
          clearTimeout(timer);
          barriers.delete(nonce);
          resolve();
        });
      });
      await bus.publish(`sync:${nonce}`);
      await heard;
    },

    stats(): FolderPageCacheStats {
      return { hits, misses, entries: entries.size, bytes };
    },

    /** Starts hearing the changes (the cache is off until then). */
    async connect() {
      if (bus || options.maxBytes <= 0) return;
      bus = await openSessionBus(db, { message: hear, lost: clear }, GED_CHANNEL);
    },

    async disconnect() {
      const closing = bus;
      bus = null;
      clear();
      await closing?.close();
    },
  };
}

export type FolderPageCache = ReturnType<typeof createFolderPageCache>;
