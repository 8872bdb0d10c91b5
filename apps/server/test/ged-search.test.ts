import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gedDocuments, gedFolders } from '../src/db/schema/index.ts';
import { type SearchFilters, searchDocuments } from '../src/modules/ged/ged.repository.ts';
import { clientWithStart } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/**
 * Bounded ranking of the GED search: all matches ranked when they are few, else the best among
 * the most recent matches, through each of the repository's three steps (small bounds make them
 * reachable with a few rows) and through the HTTP routes with the production bounds.
 */
let t: TestApp;
let dataDir: string;
let firmId: string;
let staffId: string;
let sequence = 0;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-ged-search-'));
  t = await buildTestApp({ DATA_DIR: dataDir });
  firmId = (await createFirm(t.ctx.db)).id;
  staffId = (await signInAsStaff(t, firmId)).staff.id;
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** A file with two folders, A shared with the client and B not. */
async function fileWithFolders() {
  const fileId = (await createFile(t.ctx.db, firmId)).id;
  const [a, b] = await t.ctx.db
    .insert(gedFolders)
    .values([
      { firmId, fileId, name: 'A', visibleToClient: true },
      { firmId, fileId, name: 'B', visibleToClient: false },
    ])
    .returning();
  if (!a || !b) throw new Error('folders');
  return { fileId, a: a.id, b: b.id };
}

interface Doc {
  name: string;
  text?: string;
  folderId: string;
  /** Minutes ago: the larger, the older. */
  age: number;
  fiscalYear?: number;
  visible?: boolean;
  deleted?: boolean;
}

/** Inserts documents directly (the search reads rows; uploads are covered elsewhere). */
async function insertDocs(fileId: string, docs: Doc[]) {
  const now = Date.now();
  const inserted = await t.ctx.db
    .insert(gedDocuments)
    .values(
      docs.map((d) => {
        sequence++;
        return {
          firmId,
          fileId,
          folderId: d.folderId,
          name: d.name,
          mime: 'application/pdf',
          size: 100,
          sha256: sequence.toString(16).padStart(64, '0'),
          blobKey: sequence.toString(16).padStart(64, 'f'),
          fiscalYear: d.fiscalYear ?? 2024,
          visibleToClient: d.visible ?? true,
          addedByType: 'staff' as const,
          addedById: staffId,
          addedByName: 'Camille Martin',
          addedAt: new Date(now - d.age * 60_000),
          contentText: d.text ?? null,
          deletedAt: d.deleted ? new Date(now) : null,
        };
      }),
    )
    .returning({ id: gedDocuments.id, name: gedDocuments.name });
  return new Map(inserted.map((r) => [r.name, r.id]));
}

const small = { candidates: 3, recentWindow: 6 };
const search = (fileId: string, f: Partial<SearchFilters> & { q: string }, bounds = small) =>
  searchDocuments(t.ctx.db, fileId, { visibleOnly: false, limit: 50, ...f }, bounds);
const names = (rows: { name: string }[]) => rows.map((r) => r.name);
const sorted = (rows: { name: string }[]) => names(rows).sort();
/** Best first: rank, then most recent. */
function expectRanked(rows: { rank: number; addedAt: Date }[]) {
  for (let i = 1; i < rows.length; i++) {
    const [prev, cur] = [rows[i - 1], rows[i]];
    if (!prev || !cur) continue;
    expect(prev.rank > cur.rank || (prev.rank === cur.rank && prev.addedAt >= cur.addedAt)).toBe(true);
  }
}

describe('search: bounded ranking', () => {
  it('ranks every match when there are no more than the bound (step 1), best first', async () => {
    const { fileId, a } = await fileWithFolders();
    await insertDocs(fileId, [
      { name: 'Courrier 1.pdf', text: 'conditions de facturation', folderId: a, age: 1 },
      { name: 'Facture Orange.pdf', text: 'facture facture total', folderId: a, age: 50 },
      { name: 'Statuts.pdf', text: 'statuts de la société', folderId: a, age: 2 },
      { name: 'Bail.pdf', text: 'loyer du local', folderId: a, age: 3 },
    ]);
    const hits = await search(fileId, { q: 'facture' });
    // The oldest matching document, named "Facture", comes first: ranking over all matches.
    expect(names(hits)).toEqual(['Facture Orange.pdf', 'Courrier 1.pdf']);
    expect(hits[0]?.rank).toBeGreaterThan(hits[1]?.rank ?? 0);
  });

  it('ranks the most recent matches when more match (step 2), filters and bin applied first', async () => {
    const { fileId, a, b } = await fileWithFolders();
    await insertDocs(fileId, [
      { name: 'Recent text 1.pdf', text: 'une facture', folderId: a, age: 1 },
      { name: 'Hidden B.pdf', text: 'facture facture facture', folderId: b, age: 2 },
      { name: 'Binned.pdf', text: 'facture facture facture', folderId: a, age: 3, deleted: true },
      { name: 'Facture recent.pdf', text: 'facture', folderId: a, age: 4 },
      { name: 'Recent text 2.pdf', text: 'facture et avoir', folderId: a, age: 5 },
      { name: 'Old text.pdf', text: 'facture', folderId: a, age: 100 },
      { name: 'Facture ancienne.pdf', text: 'facture facture', folderId: a, age: 200 },
    ]);
    // Six live matches in the whole file, bound 3: the three most recent ones, ranked.
    const all = await search(fileId, { q: 'facture' });
    expect(sorted(all)).toEqual(['Facture recent.pdf', 'Hidden B.pdf', 'Recent text 1.pdf']);
    expectRanked(all);
    // The client's folders apply before the bound: the three most recent matches of folder A
    // (the older "Facture ancienne.pdf" would rank first, but it is not among them).
    const limited = await search(fileId, { q: 'facture', folderIds: [a], visibleOnly: true });
    expect(sorted(limited)).toEqual(['Facture recent.pdf', 'Recent text 1.pdf', 'Recent text 2.pdf']);
    expectRanked(limited);
    expect(limited[0]?.name).toBe('Facture recent.pdf');
    expect(limited.every((h) => h.folderId === a && h.visibleToClient)).toBe(true);
    expect(sorted(await search(fileId, { q: 'facture -avoir', folderIds: [a] }))).toEqual([
      'Facture recent.pdf',
      'Old text.pdf',
      'Recent text 1.pdf',
    ]);
  });

  it('falls back to all matches when they are sparse among recent documents (step 3)', async () => {
    const { fileId, a, b } = await fileWithFolders();
    const recent = Array.from({ length: 6 }, (_, i) => ({
      name: `Recent ${i}.pdf`,
      text: 'relevé bancaire',
      folderId: a,
      age: i + 1,
    }));
    await insertDocs(fileId, [
      ...recent,
      { name: 'Nantissement 1.pdf', text: 'acte', folderId: a, age: 10, fiscalYear: 2021 },
      { name: 'Acte 2.pdf', text: 'nantissement du fonds', folderId: a, age: 11, fiscalYear: 2021 },
      { name: 'Acte B.pdf', text: 'nantissement', folderId: b, age: 12, fiscalYear: 2021 },
      { name: 'Acte 3.pdf', text: 'nantissement', folderId: a, age: 13, fiscalYear: 2022 },
      { name: 'Acte 4.pdf', text: 'nantissement', folderId: a, age: 14, visible: false },
      { name: 'Acte 5.pdf', text: 'nantissement', folderId: a, age: 15, fiscalYear: 2021 },
    ]);
    // Six matches, none among the six most recent documents: the three most recent matches.
    expect(names(await search(fileId, { q: 'nantissement' }))).toEqual([
      'Nantissement 1.pdf',
      'Acte 2.pdf',
      'Acte B.pdf',
    ]);
    // Limited to A, visible only: the hidden one and folder B never come back.
    const limited = await search(fileId, { q: 'nantissement', folderIds: [a], visibleOnly: true });
    expect(names(limited)).toEqual(['Nantissement 1.pdf', 'Acte 2.pdf', 'Acte 3.pdf']);
    // A fiscal year: four matches in 2021, three in A — all of them, so step 1 ranks them.
    expect(names(await search(fileId, { q: 'nantissement', folderIds: [a], fiscalYear: 2021 }))).toEqual([
      'Nantissement 1.pdf',
      'Acte 2.pdf',
      'Acte 5.pdf',
    ]);
    expect(await search(fileId, { q: 'nantissement', folderIds: [] })).toEqual([]);
  });

  it('gives exactly the best of the most recent matches, by step 2 and by step 3', async () => {
    const { fileId, a } = await fileWithFolders();
    await insertDocs(
      fileId,
      Array.from({ length: 30 }, (_, i) => ({
        name: i % 7 === 0 ? `Facture ${i}.pdf` : `Document ${i}.pdf`,
        text: `facture ${'total '.repeat(i % 5)}${i % 3 === 0 ? 'facture paiement' : 'avoir'}`,
        folderId: a,
        age: (i * 7) % 30,
      })),
    );
    const every = await search(fileId, { q: 'facture' }, { candidates: 100, recentWindow: 100 });
    expect(every).toHaveLength(30);
    expectRanked(every);
    const expected = [...every]
      .sort((x, y) => y.addedAt.getTime() - x.addedAt.getTime())
      .slice(0, 10)
      .sort((x, y) => y.rank - x.rank || y.addedAt.getTime() - x.addedAt.getTime() || (x.id < y.id ? -1 : 1))
      .map((h) => h.id);
    // Window of 100: the ten most recent matches are found in date order (step 2). Window of 5:
    // only five matches there, so all matches are read and the ten most recent kept (step 3).
    for (const recentWindow of [100, 5]) {
      const hits = await search(fileId, { q: 'facture' }, { candidates: 10, recentWindow });
      expect(hits.map((h) => h.id)).toEqual(expected);
    }
  });
});

describe('search through the routes, more matches than the production bound', () => {
  it('a limited contact finds a common word only in its folder; staff filters still apply', async () => {
    const fileId = (await createFile(t.ctx.db, firmId)).id;
    const admin = await signInAsStaff(t, firmId);
    const folders = (
      await t.app.inject({ method: 'GET', url: `/api/files/${fileId}/ged/folders`, headers: admin.headers })
    ).json().items as { id: string; name: string }[];
    const social = folders.find((f) => f.name === 'Social')?.id as string;
    const compta = folders.find((f) => f.name === 'Comptabilité')?.id as string;
    await t.ctx.db.update(gedFolders).set({ visibleToClient: true }).where(eq(gedFolders.id, social));
    await t.ctx.db.update(gedFolders).set({ visibleToClient: true }).where(eq(gedFolders.id, compta));
    // 1,300 matches: Comptabilité holds the most recent ones and those named "Facture".
    const many = Array.from({ length: 1300 }, (_, i) => {
      const inSocial = i % 2 === 1;
      return {
        name: `${inSocial ? 'Bulletin' : 'Facture'} ${i}.pdf`,
        text: 'facture du mois',
        folderId: inSocial ? social : compta,
        age: inSocial ? 10_000 + i : i,
        fiscalYear: 2020 + (i % 4),
      };
    });
    for (let i = 0; i < many.length; i += 200) await insertDocs(fileId, many.slice(i, i + 200));

    const limited = await clientWithStart(t, firmId, fileId, { limitedTo: ['Social'] });
    const hits = (
      await t.app.inject({
        method: 'GET',
        url: `/api/client/files/${fileId}/ged/search?q=facture`,
        headers: limited.headers,
      })
    ).json().items as { folderId: string; name: string }[];
    expect(hits).toHaveLength(50);
    expect(hits.every((h) => h.folderId === social && h.name.startsWith('Bulletin'))).toBe(true);

    const staffSearch = async (query: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/files/${fileId}/ged/search?q=facture&${query}`,
          headers: admin.headers,
        })
      ).json().items as { folderId: string; fiscalYear: number; name: string; snippet: string | null }[];
    const staffHits = await staffSearch(`folderId=${social}`);
    expect(staffHits).toHaveLength(50);
    expect(staffHits.every((h) => h.folderId === social)).toBe(true);
    const yearHits = await staffSearch(`folderId=${social}&fiscalYear=2021`);
    expect(yearHits).toHaveLength(50);
    expect(yearHits.every((h) => h.folderId === social && h.fiscalYear === 2021)).toBe(true);
    expect(staffHits[0]?.snippet).toMatch(/«facture»/);
  });
});
