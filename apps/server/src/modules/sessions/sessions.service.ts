import type { Db } from '../../db/connection.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import type { Actor } from '../../policy.ts';
import * as repo from './sessions.repository.ts';

export const SESSION_COOKIE = 'passerelle_sid';

// Touching last_seen_at on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

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

export function createSessionService(db: Db, ttlMs: number) {
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

    async load(token: string): Promise<LoadedSession | null> {
      const now = new Date();
      const idHash = sha256(token);
      const row = await repo.findLiveSession(db, idHash, now);
      if (!row) return null;
      let actor: LoadedSession['actor'];
      if (row.kind === 'staff') {
        const staff = await repo.findActiveStaffForSession(db, row.principalId, row.firmId);
        if (!staff) return null;
        actor = {
          type: 'staff',
          userId: row.userId,
          firmId: row.firmId,
          staffId: staff.staff.id,
          role: staff.staff.role,
          seesAllFiles: staff.settings.collaboratorsSeeAllFiles ?? true,
        };
      } else {
        actor = { type: 'client', userId: row.userId, firmId: row.firmId, contactId: row.principalId };
      }
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
        await repo.touchSession(db, idHash, now);
      }
      return { idHash, csrfToken: row.csrfToken, actor, idToken: row.idToken };
    },

    async end(token: string) {
      return repo.deleteSession(db, sha256(token));
    },

    async sweepExpired() {
      await repo.deleteExpiredSessions(db, new Date());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
