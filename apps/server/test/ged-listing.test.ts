import { createHash } from 'node:crypto';
import { gedDocumentPageSchema } from '@passerelle/contracts/ged';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firms, gedDocuments } from '../src/db/schema/index.ts';
import { findDocument, insertDocument, insertFolder } from '../src/modules/ged/ged.repository.ts';
import { encodeCursor, ensureFolders, toDocument } from '../src/modules/ged/ged.service.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/**
 * `GET /api/ged/folders/:folderId/documents`: the folder, its file's access check and the page
 * come from one statement; the answers must be those of the policy, page after page.
 */
let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let responsible: Awaited<ReturnType<typeof signInAsStaff>>;
let colleague: Awaited<ReturnType<typeof signInAsStaff>>;
let stranger: Awaited<ReturnType<typeof signInAsStaff>>;
let fileId: string;
let folderId: string;
let emptyFolderId: string;
let strangerFolderId: string;

type Who = { headers: Record<string, string> };
const list = (who: Who, folder: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/ged/folders/${folder}/documents${query}`, headers: who.headers });

async function addDocument(
  folder: { id: string; fileId: string; firmId: string },
  name: string,
  binned = false,
) {
  const sha256 = createHash('sha256').update(`${folder.id}/${name}/${Math.random()}`).digest('hex');
  const row = await insertDocument(t.ctx.db, {
    firmId: folder.firmId,
    fileId: folder.fileId,
    folderId: folder.id,
    name,
    mime: 'application/pdf',
    size: 1234,
    sha256,
    blobKey: sha256,
    visibleToClient: false,
    addedByType: 'staff',
    addedById: admin.staff.id,
    addedByName: 'Camille Martin',
  });
  if (!row) throw new Error('document not inserted');
  if (binned)
    await t.ctx.db.update(gedDocuments).set({ deletedAt: new Date() }).where(eq(gedDocuments.id, row.id));
  return row;
}

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db, { settings: { collaboratorsSeeAllFiles: false } })).id;
  admin = await signInAsStaff(t, firmId);
  responsible = await signInAsStaff(t, firmId, 'collaborateur');
  colleague = await signInAsStaff(t, firmId, 'collaborateur');
  fileId = (await createFile(t.ctx.db, firmId, { responsibleId: responsible.staff.id })).id;
  const inbox = await ensureFolders(t.ctx.db, firmId, fileId);
  const folder = await insertFolder(t.ctx.db, { firmId, fileId, parentId: null, name: 'Dossier de test' });
  if (!folder) throw new Error('folder not created');
  folderId = folder.id;
  emptyFolderId = inbox.id;
  for (const name of ['c.pdf', 'a.pdf', 'b.pdf', 'a.pdf', 'd.pdf']) await addDocument(folder, name);
  await addDocument(folder, 'b-binned.pdf', true);

  const otherFirmId = (await createFirm(t.ctx.db)).id;
  stranger = await signInAsStaff(t, otherFirmId);
  const otherFileId = (await createFile(t.ctx.db, otherFirmId)).id;
  const strangerFolder = await insertFolder(t.ctx.db, {
    firmId: otherFirmId,
    fileId: otherFileId,
    parentId: null,
    name: 'Secret',
  });
  if (!strangerFolder) throw new Error('folder not created');
  strangerFolderId = strangerFolder.id;
  await addDocument(strangerFolder, 'secret.pdf');
});
afterAll(async () => t?.close());

describe('a folder’s page of documents', () => {
  it('walks the live documents once each, in (name, id) order, binned ones left out', async () => {
    const seen: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(admin, folderId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(gedDocumentPageSchema.parse(body)).toEqual(body);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.map((d) => d.name)).toEqual(['a.pdf', 'a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']);
    expect([seen[0]?.id, seen[1]?.id]).toEqual([seen[0]?.id, seen[1]?.id].sort());
    expect(new Set(seen.map((d) => d.id)).size).toBe(5);
  });

  it('answers every field of a document, and the last page has no cursor', async () => {
    const res = await list(admin, folderId, '?limit=50');
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toEqual({
      id: expect.any(String),
      folderId,
      name: 'a.pdf',
      mime: 'application/pdf',
      size: 1234,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      fiscalYear: null,
      visibleToClient: false,
      addedBy: { type: 'staff', name: 'Camille Martin' },
      addedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      version: 1,
    });
  });

  it('sends each document exactly as the document routes describe it (built in SQL, not from the row)', async () => {
    const folder = await insertFolder(t.ctx.db, { firmId, fileId, parentId: null, name: 'Formats' });
    if (!folder) throw new Error('folder not created');
    const odd = await addDocument(folder, 'Relevé "n°1" \\ 2025\n\u2028 été 🧾 <b>.pdf');
    const plain = await addDocument(folder, 'plain.pdf');
    await t.ctx.db
      .update(gedDocuments)
      .set({
        fiscalYear: 2024,
        visibleToClient: true,
        version: 3,
        addedAt: new Date('2025-03-04T05:06:07.089Z'),
      })
      .where(eq(gedDocuments.id, plain.id));
    const res = await list(admin, folder.id);
    expect(res.statusCode).toBe(200);
    const expected = [];
    for (const { id } of [odd, plain]) {
      const row = await findDocument(t.ctx.db, firmId, id);
      if (!row) throw new Error('document not found');
      expected.push(toDocument(row));
    }
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(2);
    expect(body.items).toEqual(expect.arrayContaining(expected));
    expect(expected[1]).toMatchObject({ fiscalYear: 2024, version: 3, addedAt: '2025-03-04T05:06:07.089Z' });
    expect(res.body).not.toContain('blobKey');
    expect(res.body).not.toContain('firmId');
  });

  it('answers an empty folder with an empty page, and a cursor past the end likewise', async () => {
    const empty = await list(admin, emptyFolderId);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ items: [], nextCursor: null });
    const past = await list(
      admin,
      folderId,
      `?cursor=${encodeCursor(['zzz', 'ffffffff-ffff-4fff-bfff-ffffffffffff'])}`,
    );
    expect(past.statusCode).toBe(200);
    expect(past.json()).toEqual({ items: [], nextCursor: null });
  });

  it('follows the collaborator rule: only the file’s responsible sees it when the firm says so', async () => {
    expect((await list(responsible, folderId)).statusCode).toBe(200);
    expect((await list(colleague, folderId)).statusCode).toBe(404);
    expect((await list(colleague, emptyFolderId)).statusCode).toBe(404);
    await t.ctx.db.update(firms).set({ settings: {} }).where(eq(firms.id, firmId));
    await t.ctx.sessions.invalidate({ firmId });
    expect((await list(colleague, folderId)).statusCode).toBe(200);
    await t.ctx.db
      .update(firms)
      .set({ settings: { collaboratorsSeeAllFiles: false } })
      .where(eq(firms.id, firmId));
    await t.ctx.sessions.invalidate({ firmId });
    expect((await list(colleague, folderId)).statusCode).toBe(404);
  });

  it('answers 404 for another firm’s folder or an unknown one, whatever the cursor', async () => {
    const bad = '?cursor=zzz';
    const good = `?cursor=${encodeCursor(['a', '00000000-0000-4000-8000-000000000000'])}`;
    for (const query of ['', bad, good]) {
      expect((await list(admin, strangerFolderId, query)).statusCode, query).toBe(404);
      expect((await list(stranger, folderId, query)).statusCode, query).toBe(404);
      expect((await list(admin, '6f1c1a52-3c1b-4c8e-9a51-2b0d3f4e5a6b', query)).statusCode, query).toBe(404);
      expect((await list(colleague, folderId, query)).statusCode, query).toBe(404);
    }
    expect((await list(admin, folderId, bad)).statusCode).toBe(400);
    expect((await list(stranger, strangerFolderId)).json().items).toHaveLength(1);
  });
});
