import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connection.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp extends Awaited<ReturnType<typeof buildApp>> {
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/**
 * A whole server on a fresh database, as `npm start` builds it, with its own environment.
 * Workers are off unless asked: tests drive the mail outbox by hand.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  options: { startWorkers?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    DATA_DIR: '.tmp/test-data',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const database = await createTestDatabase();
  const built = await buildApp({
    config,
    database,
    startWorkers: options.startWorkers ?? false,
    logger: false,
  });
  await built.app.ready();
  return {
    ...built,
    database,
    config,
    async close() {
      await built.app.close();
      await database.close();
    },
  };
}
