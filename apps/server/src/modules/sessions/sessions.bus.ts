import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from '../../db/connection.ts';

/**
 * Carries session-cache invalidations between server instances that share one database:
 * PostgreSQL's LISTEN/NOTIFY on one channel. A notification is sent by whoever ended a session
 * or changed what a session resolves to; every instance listening (the sender's too) drops the
 * matching cache entries. See docs/decisions/120-session-cache.md.
 */
export const SESSION_CHANNEL = 'passerelle_sessions';

export interface SessionBus {
  /** True while this instance hears the others' invalidations (the cache is usable). */
  readonly listening: boolean;
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionBusHandlers {
  message(payload: string): void;
  /** Invalidations may have been missed (the listening connection dropped). */
  lost(): void;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * node-postgres: other processes may share the database, so the cache is only usable while a
 * LISTEN connection is up. PGlite lives inside this one process: nothing else can write to it.
 */
export function databaseIsShared(db: Db): boolean {
  return (db as { $client?: unknown }).$client instanceof pg.Pool;
}

interface PGliteListen {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Listens to `channel` (the sessions' by default; the GED folder-page cache has its own) and
 * publishes on it. null when the database cannot LISTEN.
 */
export async function openSessionBus(
  db: Db,
  handlers: SessionBusHandlers,
  channel: string = SESSION_CHANNEL,
): Promise<SessionBus | null> {
  const client = (db as { $client?: unknown }).$client;
  const publish = async (message: string) => {
    await db.execute(sql`select pg_notify(${channel}, ${message})`);
  };
  if (client instanceof pg.Pool) return openPgListener(client, channel, handlers, publish);
  if (client && typeof (client as Partial<PGliteListen>).listen === 'function') {
    // PGlite runs LISTEN/NOTIFY in process (several instances on one PGlite: tests only).
    const unlisten = await (client as PGliteListen).listen(channel, handlers.message);
    return { listening: true, publish, close: () => unlisten() };
  }
  return null;
}

/** A dedicated connection (outside the pool) holds the LISTEN, and comes back when it drops. */
async function openPgListener(
  pool: pg.Pool,
  channel: string,
  handlers: SessionBusHandlers,
  publish: (message: string) => Promise<void>,
): Promise<SessionBus> {
  let current: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retryMs = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const drop = (client: pg.Client) => {
    if (client !== current) return;
    current = null;
    listening = false;
    handlers.lost();
    client.end().catch(() => undefined);
    if (!closed) {
      timer = setTimeout(connect, retryMs);
      timer.unref();
      retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
    }
  };

  async function connect() {
    const client = new pg.Client(pool.options);
    current = client;
    client.on('error', () => drop(client));
    client.on('end', () => drop(client));
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
    } catch {
      drop(client);
      return;
    }
    if (closed || client !== current) {
      await client.end().catch(() => undefined);
      return;
    }
    // Whatever was cached before this point may have missed an invalidation.
    handlers.lost();
    listening = true;
    retryMs = RECONNECT_MIN_MS;
  }

  await connect();
  return {
    get listening() {
      return listening;
    },
    publish,
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = current;
      current = null;
      listening = false;
      if (client) await client.end().catch(() => undefined);
    },
  };
}
