import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.ts';

export const testDbKind = (process.env.PASSERELLE_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh, migrated database for one test file, on the engine of the current project. */
export async function createTestDatabase(): Promise<Database> {
  if (testDbKind === 'pglite') {
    const file = inject('pgliteTemplate');
    const bytes = await readFile(file);
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([bytes]) });
  }
  const { url, template } = inject('postgresTemplate');
  const name = `${template.replace('_tpl_', '_t_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 5 });
}
