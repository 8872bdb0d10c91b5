import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Database } from '../../db/connection.ts';
import { OUTBOX_CHANNEL } from './mail.repository.ts';

/**
 * Wakes the worker as soon as a transaction that enqueued a mail commits: `enqueue` runs
 * `pg_notify` in the caller's transaction, which PostgreSQL (and PGlite) deliver at commit and
 * drop on rollback. Polling stays the safety net; this only removes the wait.
 * Returns a function that stops listening.
 */
export async function listenForEnqueuedMail(
  database: Database,
  onNotify: () => void,
  onLost: () => void,
  log: FastifyBaseLogger,
): Promise<() => Promise<void>> {
  // drizzle exposes the driver it was built on as `$client`.
  const driver = (database.db as unknown as { $client: unknown }).$client;

  if (database.kind === 'pglite') {
    const pglite = driver as { listen(channel: string, cb: () => void): Promise<() => Promise<void>> };
    return pglite.listen(OUTBOX_CHANNEL, onNotify);
  }

  // LISTEN belongs to a connection: hold one client of the pool for it.
  const client = await (driver as pg.Pool).connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  client.on('notification', (message) => {
    if (message.channel === OUTBOX_CHANNEL) onNotify();
  });
  client.on('error', (err) => {
    log.warn({ err }, 'outbox listener connection lost; polling continues');
    release(err);
    onLost();
  });
  try {
    await client.query(`listen ${OUTBOX_CHANNEL}`);
  } catch (err) {
    release(err as Error);
    throw err;
  }
  return async () => {
    if (released) return;
    try {
      await client.query(`unlisten ${OUTBOX_CHANNEL}`);
      release();
    } catch (err) {
      release(err as Error);
    }
  };
}
