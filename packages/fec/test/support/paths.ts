import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** /work/main when this file is /work/main/packages/fec/test/support/paths.ts. */
export const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../../..');

/** Real FEC files shared with the team, read in place (never copied into the project). */
export const realFecDirectory = path.resolve(repoRoot, '../shared/data/fec');

export const realFec = (name: string) => path.join(realFecDirectory, name);

/** The FEC files of the shared folder: the `.txt` files that are not licences. */
export function realFecFiles(): string[] {
  return readdirSync(realFecDirectory)
    .filter((name) => name.endsWith('.txt') && !name.startsWith('LICENSE'))
    .sort();
}

export const cliPath = path.join(repoRoot, 'packages/fec/src/cli.ts');
