import type { Db } from '../../db/connection.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import type { Actor } from '../../policy.ts';
import { databaseIsShared, openSessionBus, type SessionBus } from './sessions.bus.ts';
import * as repo from './sessions.repository.ts';

export const SESSION_COOKIE = 'passerelle_sid';

// Touching last_seen_at on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * How long a loaded session is reused without asking the database. Every change made through
 * the services invalidates at once (here and, by NOTIFY, on the other instances); this only
 * bounds what a write made behind the application's back (SQL by hand) can leave stale.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const SESSION_CACHE_MAX_ENTRIES = 10_000;

export interface LoadedSession {
  idHash: string;
  csrfToken: string;
  actor: Exclude<Actor, { type: 'anonymous' }>;
  idToken: string | null;
}

export interface StartSessionInput {
  userId: string;
  firmId: string;
  kind: 'staff' | 'client';
  principalId: string;
  idToken?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** Which cached sessions an invalidation drops. */
export type SessionScope =
  | { idHash: string }
  | { firmId: string }
  | { staffId: string }
  | { userId: string }
  | { all: true };

export interface SessionServiceOptions {
  cacheTtlMs?: number;
  /** The clock of the cache (tests move it). */
  now?: () => number;
}

interface CacheEntry {
  loaded: LoadedSession;
  freshUntil: number;
  expiresAt: number;
}

function encodeScope(scope: SessionScope): string {
  if ('idHash' in scope) return `session:${scope.idHash}`;
  if ('firmId' in scope) return `firm:${scope.firmId}`;
  if ('staffId' in scope) return `staff:${scope.staffId}`;
  if ('userId' in scope) return `user:${scope.userId}`;
  return 'all';
}

/** An unknown message drops everything: a stale entry is worse than a reload. */
function decodeScope(message: string): SessionScope {
  const at = message.indexOf(':');
  const kind = message.slice(0, at);
  const value = message.slice(at + 1);
  if (at > 0 && value !== '') {
    if (kind === 'session') return { idHash: value };
    if (kind === 'firm') return { firmId: value };
    if (kind === 'staff') return { staffId: value };
    if (kind === 'user') return { userId: value };
  }
  return { all: true };
}

function matches(entry: CacheEntry, scope: SessionScope): boolean {
  const { actor } = entry.loaded;
  if ('idHash' in scope) return entry.loaded.idHash === scope.idHash;
  if ('firmId' in scope) return actor.firmId === scope.firmId;
  if ('staffId' in scope) return actor.type === 'staff' && actor.staffId === scope.staffId;
  if ('userId' in scope) return actor.userId === scope.userId;
  return true;
}

export function createSessionService(db: Db, ttlMs: number, options: SessionServiceOptions = {}) {
  const cacheTtlMs = options.cacheTtlMs ?? SESSION_CACHE_TTL_MS;
  const clock = options.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();
  // Bumped by every invalidation: a load that began before one must not store what it read.
  let epoch = 0;
  let bus: SessionBus | null = null;
  const shared = databaseIsShared(db);

  const cacheUsable = () => cacheTtlMs > 0 && (bus ? bus.listening : !shared);

  const dropLocal = (scope: SessionScope) => {
    epoch++;
    if ('idHash' in scope) {
      cache.delete(scope.idHash);
      return;
    }
    if ('all' in scope) {
      cache.clear();
      return;
    }
    for (const [key, entry] of cache) if (matches(entry, scope)) cache.delete(key);
  };

  const remember = (loaded: LoadedSession, expiresAt: Date, loadEpoch: number) => {
    if (!cacheUsable() || loadEpoch !== epoch) return;
    if (cache.size >= SESSION_CACHE_MAX_ENTRIES && !cache.has(loaded.idHash)) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(loaded.idHash, { loaded, freshUntil: clock() + cacheTtlMs, expiresAt: expiresAt.getTime() });
  };

  /**
   * Call after committing anything that changes what a session resolves to: a session ended,
   * a staff member deactivated or given another role, the firm's collaboratorsSeeAllFiles.
   * Drops the matching cached sessions here at once and on the other instances by NOTIFY.
   * (A client's access to files is never cached: the policy re-derives it on every request.)
   */
  const invalidate = async (scope: SessionScope) => {
    dropLocal(scope);
    if (!bus) return;
    try {
      await bus.publish(encodeScope(scope));
    } catch {
      // The change is committed; the other instances' entries expire within the cache TTL.
    }
  };

  return {
    /** A new random token each sign-in: the session id is rotated, never reused. */
    async start(input: StartSessionInput, tx: Pick<Db, 'insert'> = db) {
      const token = randomToken();
      const csrfToken = randomToken();
      const now = new Date();
      await repo.insertSession(tx as Db, {
        idHash: sha256(token),
        userId: input.userId,
        firmId: input.firmId,
        kind: input.kind,
        principalId: input.principalId,
        csrfToken,
        idToken: input.idToken ?? null,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 500) ?? null,
        expiresAt: new Date(now.getTime() + ttlMs),
      });
      return { token, csrfToken, expiresAt: new Date(now.getTime() + ttlMs) };
    },

    /** The session of a cookie, from the cache while fresh, else from the database. */
    async load(token: string): Promise<LoadedSession | null> {
      const idHash = sha256(token);
      const cached = cache.get(idHash);
      if (cached) {
        const at = clock();
        if (at < cached.freshUntil && at < cached.expiresAt && cacheUsable()) return cached.loaded;
        cache.delete(idHash);
      }
      const loadEpoch = epoch;
      const now = new Date();
      const row = await repo.findLiveSessionWithActor(db, idHash, now);
      if (!row) return null;
      let actor: LoadedSession['actor'];
      if (row.kind === 'staff') {
        if (!row.staffId || !row.role) return null;
        actor = {
          type: 'staff',
          userId: row.userId,
          firmId: row.firmId,
          staffId: row.staffId,
          role: row.role,
          seesAllFiles: row.settings?.collaboratorsSeeAllFiles ?? true,
        };
      } else {
        actor = { type: 'client', userId: row.userId, firmId: row.firmId, contactId: row.principalId };
      }
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
        await repo.touchSession(db, idHash, now);
      }
      // Shared by the requests that reuse it from the cache: nobody may change it.
      const loaded: LoadedSession = Object.freeze({
        idHash,
        csrfToken: row.csrfToken,
        actor: Object.freeze(actor),
        idToken: row.idToken,
      });
      remember(loaded, row.expiresAt, loadEpoch);
      return loaded;
    },

    async end(token: string) {
      const idHash = sha256(token);
      const row = await repo.deleteSession(db, idHash);
      await invalidate({ idHash });
      return row;
    },

    async sweepExpired() {
      await repo.deleteExpiredSessions(db, new Date());
    },

    invalidate,

    /** Starts hearing the other instances' invalidations (the session plugin calls it). */
    async connect() {
      if (bus) return;
      bus = await openSessionBus(db, {
        message: (payload) => dropLocal(decodeScope(payload)),
        lost: () => dropLocal({ all: true }),
      });
    },

    async disconnect() {
      const closing = bus;
      bus = null;
      dropLocal({ all: true });
      await closing?.close();
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
