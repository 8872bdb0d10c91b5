import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase, runMigrations } from '../../src/db/connection.ts';

/** Migrates one PGlite once; each test file starts from a copy of its data directory. */
export default async function setup(project: TestProject) {
  const database = await openDatabase({ kind: 'pglite' });
  await runMigrations(database);
  const dump = await database.dumpPglite?.();
  await database.close();
  if (!dump) throw new Error('PGlite dump failed');
  const dir = path.resolve('.tmp');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `pglite-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: { url: string; template: string };
  }
}
