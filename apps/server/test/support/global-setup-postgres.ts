import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, runMigrations } from '../../src/db/connection.ts';

/**
 * Creates one migrated template database; each test file clones it with
 * CREATE DATABASE … TEMPLATE, which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL run');
  const template = `passerelle_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists "${template}"`);
  await admin.query(`create database "${template}"`);

  const target = new URL(url);
  target.pathname = `/${template}`;
  const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 2 });
  await runMigrations(database);
  await database.close();
  project.provide('postgresTemplate', { url, template });

  return async () => {
    const res = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'passerelle_t%' and datname like $1",
      [`%_${process.pid}%`],
    );
    for (const row of res.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.end();
  };
}
