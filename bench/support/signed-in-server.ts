/**
 * The benches' server, run in a child process (`--serve <database url>`) so the load generator
 * does not share its event loop: the real app on PostgreSQL, logger off, workers off, with a
 * signed-in administrator whose session cookie it sends to the parent.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { openDatabase } from '../../apps/server/src/db/connection.ts';
import { staffMembers } from '../../apps/server/src/db/schema/index.ts';

export interface ServerReady {
  port: number;
  cookie: string;
}

export async function serve(databaseUrl: string) {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    DATA_DIR: path.join(tmpdir(), `passerelle-bench-${process.pid}`),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    // A bench may run a server with the GED folder-page cache off (decision 122).
    ...(process.env.GED_PAGE_CACHE_MB === undefined
      ? {}
      : { GED_PAGE_CACHE_MB: process.env.GED_PAGE_CACHE_MB }),
  });
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 10 });
  const { app, ctx } = await buildApp({ config, database, startWorkers: false, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const [staff] = await ctx.db
    .select()
    .from(staffMembers)
    .where(sql`${staffMembers.role} = 'administrateur'`)
    .limit(1);
  if (!staff?.userId) throw new Error('no staff member seeded');
  const session = await ctx.sessions.start({
    userId: staff.userId,
    firmId: staff.firmId,
    kind: 'staff',
    principalId: staff.id,
  });
  process.send?.({
    port: address.port,
    cookie: `${app.sessionCookieName}=${session.token}`,
  } satisfies ServerReady);
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await app.close();
    await database.close();
    process.exit(0);
  });
}

/**
 * A bench entry compiled the way `npm start` compiles the server (scripts/start.mjs, decision
 * 150), so the forked server runs as plain JavaScript like the product, not through tsx.
 */
export async function compiledEntry(
  entry: string,
  name: string,
): Promise<{ program: string; nodeFlags: string[] }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { buildServer, serverNodeFlags } = (await import(
    pathToFileURL(path.join(root, 'scripts/start.mjs')).href
  )) as {
    buildServer: (options: { entryPoints: string[]; outdir: string }) => Promise<string[]>;
    serverNodeFlags: string[];
  };
  const [program] = await buildServer({
    entryPoints: [entry],
    outdir: path.join(root, 'apps/server/dist', name),
  });
  if (!program) throw new Error(`no build of ${entry}`);
  return { program, nodeFlags: serverNodeFlags };
}
