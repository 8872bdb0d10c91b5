import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, gedDocuments } from '../src/db/schema/index.ts';
import { blobFiles, clientWithStart, multipart, pdfWithText, png } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/** The firm's GED and the client's view of it, through the HTTP routes. */
let t: TestApp;
let dataDir: string;
let firmId: string;
let fileId: string;
let otherFileId: string;
let otherFirmFileId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let reader: Awaited<ReturnType<typeof signInAsStaff>>;
let stranger: Awaited<ReturnType<typeof signInAsStaff>>;
type Who = { headers: Record<string, string> };
type Folder = {
  id: string;
  name: string;
  parentId: string | null;
  visibleToClient: boolean;
  documentCount: number;
};

const call = (who: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: who?.headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const upload = (who: Who, url: string, files: Parameters<typeof multipart>[0]) => {
  const body = multipart(files);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...who.headers, ...body.headers },
    payload: body.payload,
  });
};

async function folders(fid = fileId, who: Who = admin): Promise<Folder[]> {
  const res = await call(who, 'GET', `/api/files/${fid}/ged/folders`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}
const folderNamed = async (name: string, fid = fileId) => {
  const found = (await folders(fid)).find((f) => f.name === name);
  if (!found) throw new Error(`no folder ${name}`);
  return found;
};
const documentRows = async () => t.ctx.db.select().from(gedDocuments);

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-ged-'));
  t = await buildTestApp({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(64 * 1024) });
  firmId = (await createFirm(t.ctx.db)).id;
  const otherFirmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  reader = await signInAsStaff(t, firmId, 'lecture_seule');
  stranger = await signInAsStaff(t, otherFirmId);
  fileId = (await createFile(t.ctx.db, firmId)).id;
  otherFileId = (await createFile(t.ctx.db, firmId)).id;
  otherFirmFileId = (await createFile(t.ctx.db, otherFirmId)).id;
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('folders', () => {
  it('creates the default tree on first access, only the inbox shared', async () => {
    const tree = await folders();
    expect(tree.map((f) => f.name)).toEqual([
      'Pièces déposées',
      'Comptabilité',
      'Fiscal',
      'Juridique',
      'Social',
      'Paie',
      'Bilans',
    ]);
    expect(tree.filter((f) => f.visibleToClient).map((f) => f.name)).toEqual(['Pièces déposées']);
    expect(await folders()).toHaveLength(7);
  });

  it('creates, renames, moves, shares and deletes folders (empty only)', async () => {
    const compta = await folderNamed('Comptabilité');
    const created = await call(admin, 'POST', `/api/files/${fileId}/ged/folders`, {
      parentId: compta.id,
      name: 'Banque',
    });
    expect(created.statusCode).toBe(201);
    const banque = created.json();
    expect(banque).toMatchObject({ parentId: compta.id, name: 'Banque', documentCount: 0 });
    const dup = await call(admin, 'POST', `/api/files/${fileId}/ged/folders`, {
      parentId: compta.id,
      name: 'banque',
    });
    expect(dup.json().error.code).toBe('FOLDER_NAME_TAKEN');
    const cycle = await call(admin, 'PATCH', `/api/ged/folders/${compta.id}`, { parentId: banque.id });
    expect(cycle.statusCode).toBe(400);
    const renamed = await call(admin, 'PATCH', `/api/ged/folders/${banque.id}`, {
      name: 'Relevés',
      visibleToClient: true,
    });
    expect(renamed.json()).toMatchObject({ name: 'Relevés', visibleToClient: true });
    expect((await call(admin, 'DELETE', `/api/ged/folders/${compta.id}`)).json().error.code).toBe(
      'FOLDER_NOT_EMPTY',
    );
    const inbox = await folderNamed('Pièces déposées');
    expect((await call(admin, 'DELETE', `/api/ged/folders/${inbox.id}`)).json().error.code).toBe(
      'FOLDER_PROTECTED',
    );
    expect((await call(admin, 'DELETE', `/api/ged/folders/${banque.id}`)).statusCode).toBe(204);
    expect(
      (await call(reader, 'POST', `/api/files/${fileId}/ged/folders`, { parentId: null, name: 'X' }))
        .statusCode,
    ).toBe(403);
  });
});

describe('uploads', () => {
  it('stores several files, answers one result each, and deduplicates by content', async () => {
    const fiscal = await folderNamed('Fiscal');
    const res = await upload(admin, `/api/ged/folders/${fiscal.id}/documents`, [
      { name: 'Liasse 2024.pdf', content: pdfWithText('Liasse fiscale 2024'), type: 'application/pdf' },
      { name: 'logo.png', content: png, type: 'image/png' },
    ]);
    expect(res.statusCode).toBe(201);
    const { results } = res.json();
    expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    const pdf = results[0].document;
    expect(pdf).toMatchObject({
      name: 'Liasse 2024.pdf',
      mime: 'application/pdf',
      version: 1,
      addedBy: { type: 'staff' },
      sha256: createHash('sha256').update(pdfWithText('Liasse fiscale 2024')).digest('hex'),
    });

    const again = await upload(admin, `/api/ged/folders/${fiscal.id}/documents`, [
      { name: 'copie.pdf', content: pdfWithText('Liasse fiscale 2024') },
    ]);
    expect(again.statusCode).toBe(409);
    expect(again.json().results[0]).toMatchObject({ ok: false, error: { code: 'DUPLICATE_DOCUMENT' } });
    expect(again.json().results[0].error.message).toMatch(/^Déjà déposé le \d{2}\/\d{2}\/\d{4}$/);
    const audit = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'document.uploaded'));
    expect(audit).toHaveLength(2);
  });

  describe('hostile uploads are refused with a stable code and nothing stored', () => {
    let paie: Folder;
    let before: { rows: number; blobs: string[] };
    beforeAll(async () => {
      paie = await folderNamed('Paie');
    });
    const snapshot = async () => ({
      rows: (await documentRows()).length,
      blobs: (await blobFiles(dataDir)).sort(),
    });
    const cases: [string, () => Parameters<typeof multipart>[0], number, string][] = [
      [
        'type spoofed by extension',
        () => [{ name: 'photo.pdf', content: png, type: 'application/pdf' }],
        400,
        'FILE_TYPE_MISMATCH',
      ],
      [
        'an executable renamed .pdf',
        () => [{ name: 'facture.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 1)]) }],
        415,
        'FILE_TYPE_REFUSED',
      ],
      ['0 bytes', () => [{ name: 'vide.pdf', content: Buffer.alloc(0) }], 400, 'FILE_EMPTY'],
      [
        'over the limit',
        () => [
          { name: 'gros.pdf', content: Buffer.concat([pdfWithText('x'), Buffer.alloc(80 * 1024, 0x20)]) },
        ],
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'path traversal in the name',
        () => [{ name: '../../etc/passwd.pdf', content: pdfWithText('a') }],
        400,
        'FILE_NAME_INVALID',
      ],
      [
        'control characters in the name',
        () => [{ name: 'fac\u0007ture.pdf', content: pdfWithText('b') }],
        400,
        'FILE_NAME_INVALID',
      ],
      [
        'a 10,000-character name',
        () => [{ name: `${'a'.repeat(10_000)}.pdf`, content: pdfWithText('c') }],
        400,
        'FILE_NAME_INVALID',
      ],
    ];
    for (const [label, files, status, code] of cases) {
      it(label, async () => {
        before = await snapshot();
        const res = await upload(admin, `/api/ged/folders/${paie.id}/documents`, files());
        expect(res.statusCode).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(res.json().results[0]).toMatchObject({ ok: false, error: { code } });
        expect(await snapshot()).toEqual(before);
      });
    }

    it('a truncated multipart body', async () => {
      before = await snapshot();
      const body = multipart([
        { name: 'coupe.pdf', content: Buffer.concat([pdfWithText('d'), Buffer.alloc(20_000, 0x20)]) },
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/ged/folders/${paie.id}/documents`,
        headers: { ...admin.headers, ...body.headers },
        payload: body.payload.subarray(0, body.payload.length - 5_000),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('UPLOAD_TRUNCATED');
      expect(await snapshot()).toEqual(before);
    });
  });
});

describe('documents', () => {
  it('pages a folder by keyset in (name, id) order', async () => {
    const juridique = await folderNamed('Juridique');
    const names = ['b.txt', 'a.txt', 'c.txt', 'a.txt', 'e.txt', 'd.txt'];
    for (const [i, name] of names.entries())
      expect(
        (
          await upload(admin, `/api/ged/folders/${juridique.id}/documents`, [
            { name, content: Buffer.from(`contenu ${i}\n`) },
          ])
        ).statusCode,
      ).toBe(201);
    const seen: { name: string; id: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        admin,
        'GET',
        `/api/ged/folders/${juridique.id}/documents?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    const sorted = [...seen].sort((x, y) =>
      x.name === y.name ? (x.id < y.id ? -1 : 1) : x.name < y.name ? -1 : 1,
    );
    expect(seen.map((d) => d.id)).toEqual(sorted.map((d) => d.id));
    expect(seen).toHaveLength(6);
    expect(
      (await call(admin, 'GET', `/api/ged/folders/${juridique.id}/documents?cursor=zzz`)).statusCode,
    ).toBe(400);
  });

  it('keeps versions, bins and restores, toggles visibility', async () => {
    const bilans = await folderNamed('Bilans');
    const first = (
      await upload(admin, `/api/ged/folders/${bilans.id}/documents`, [
        { name: 'Bilan.pdf', content: pdfWithText('Bilan v1') },
      ])
    ).json().results[0].document;
    const v2 = await upload(admin, `/api/ged/documents/${first.id}/versions`, [
      { name: 'Bilan final.pdf', content: pdfWithText('Bilan v2') },
    ]);
    expect(v2.statusCode).toBe(201);
    expect(v2.json().results[0].document).toMatchObject({
      id: first.id,
      version: 2,
      name: 'Bilan final.pdf',
    });
    const versions = (await call(admin, 'GET', `/api/ged/documents/${first.id}/versions`)).json().items;
    expect(versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const body = (await call(admin, 'GET', `/api/ged/documents/${first.id}/content`)).rawPayload;
    expect(body.equals(pdfWithText('Bilan v2'))).toBe(true);

    const patched = await call(admin, 'PATCH', `/api/ged/documents/${first.id}`, {
      visibleToClient: false,
      fiscalYear: 2024,
    });
    expect(patched.json()).toMatchObject({ visibleToClient: false, fiscalYear: 2024 });

    expect((await call(admin, 'DELETE', `/api/ged/documents/${first.id}`)).statusCode).toBe(204);
    const listed = (await call(admin, 'GET', `/api/ged/folders/${bilans.id}/documents`)).json().items;
    expect(listed.find((d: { id: string }) => d.id === first.id)).toBeUndefined();
    const bin = (await call(admin, 'GET', `/api/files/${fileId}/ged/bin`)).json().items;
    expect(bin.map((d: { id: string }) => d.id)).toContain(first.id);
    expect((await call(admin, 'POST', `/api/ged/documents/${first.id}/restore`)).json()).toMatchObject({
      id: first.id,
      version: 2,
    });
    expect((await call(admin, 'GET', `/api/files/${fileId}/ged/bin`)).json().items).toHaveLength(0);
  });

  it('serves content: inline only for PDF/images, attachment otherwise, nosniff, ranges, audited', async () => {
    const bilans = await folderNamed('Bilans');
    const doc = (await call(admin, 'GET', `/api/ged/folders/${bilans.id}/documents`)).json().items[0];
    const inline = await call(admin, 'GET', `/api/ged/documents/${doc.id}/content?disposition=inline`);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['x-content-type-options']).toBe('nosniff');
    expect(String(inline.headers['content-disposition'])).toMatch(/^inline; filename="Bilan final.pdf"/);
    const range = await t.app.inject({
      method: 'GET',
      url: `/api/ged/documents/${doc.id}/content`,
      headers: { ...admin.headers, range: 'bytes=0-7' },
    });
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('%PDF-1.4');
    expect(range.headers['content-range']).toBe(`bytes 0-7/${doc.size}`);
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/ged/documents/${doc.id}/content`,
      headers: { ...admin.headers, range: `bytes=${doc.size + 10}-` },
    });
    expect(bad.statusCode).toBe(416);

    const juridique = await folderNamed('Juridique');
    const txt = (await call(admin, 'GET', `/api/ged/folders/${juridique.id}/documents`)).json().items[0];
    const forced = await call(admin, 'GET', `/api/ged/documents/${txt.id}/content?disposition=inline`);
    expect(String(forced.headers['content-disposition'])).toMatch(/^attachment;/);
    const audit = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'document.downloaded'));
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });
});

describe('search (French full text)', () => {
  it('finds "facture" in names and in the text of PDFs, best first', async () => {
    const compta = await folderNamed('Comptabilité');
    const res = await upload(admin, `/api/ged/folders/${compta.id}/documents`, [
      { name: 'Factures 2024.pdf', content: pdfWithText('Releve annuel') },
      { name: 'Courrier.pdf', content: pdfWithText('Conditions de facturation des honoraires') },
      { name: 'Statuts.pdf', content: pdfWithText('Statuts de la societe') },
    ]);
    expect(res.json().results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const hits = (await call(admin, 'GET', `/api/files/${fileId}/ged/search?q=facture`)).json().items;
    expect(hits.map((h: { name: string }) => h.name)).toEqual(['Factures 2024.pdf', 'Courrier.pdf']);
    expect(hits[0].rank).toBeGreaterThan(hits[1].rank);
    expect(hits[1].snippet).toMatch(/facturation/);
    const filtered = await call(
      admin,
      'GET',
      `/api/files/${fileId}/ged/search?q=facture&folderId=${(await folderNamed('Fiscal')).id}`,
    );
    expect(filtered.json().items).toEqual([]);
  });
});

describe('client view', () => {
  it('shows only shared folders and documents; a limited contact sees nothing outside Social', async () => {
    const social = await folderNamed('Social');
    const compta = await folderNamed('Comptabilité');
    await call(admin, 'PATCH', `/api/ged/folders/${social.id}`, { visibleToClient: true });
    await call(admin, 'PATCH', `/api/ged/folders/${compta.id}`, { visibleToClient: true });
    const socialDoc = (
      await upload(admin, `/api/ged/folders/${social.id}/documents`, [
        { name: 'Contrat facture social.pdf', content: pdfWithText('Contrat de travail') },
      ])
    ).json().results[0].document;
    const comptaDoc = (await call(admin, 'GET', `/api/ged/folders/${compta.id}/documents`)).json().items[0];

    const full = await clientWithStart(t, firmId, fileId);
    const limited = await clientWithStart(t, firmId, fileId, { limitedTo: ['Social'] });

    const fullFolders = (await call(full, 'GET', `/api/client/files/${fileId}/ged/folders`)).json().items;
    expect(fullFolders.map((f: { name: string }) => f.name).sort()).toEqual([
      'Comptabilité',
      'Pièces déposées',
      'Social',
    ]);
    const limitedFolders = (await call(limited, 'GET', `/api/client/files/${fileId}/ged/folders`)).json()
      .items;
    expect(limitedFolders.map((f: { name: string }) => f.name)).toEqual(['Social']);

    expect(
      (await call(full, 'GET', `/api/client/ged/folders/${compta.id}/documents`)).json().items.length,
    ).toBeGreaterThan(0);
    for (const url of [
      `/api/client/ged/folders/${compta.id}/documents`,
      `/api/client/ged/documents/${comptaDoc.id}/content`,
      `/api/client/ged/documents/${comptaDoc.id}/content?disposition=inline`,
    ])
      expect((await call(limited, 'GET', url)).statusCode, url).toBe(404);
    const limitedHits = (
      await call(limited, 'GET', `/api/client/files/${fileId}/ged/search?q=facture`)
    ).json().items;
    expect(limitedHits.map((h: { id: string }) => h.id)).toEqual([socialDoc.id]);
    const fullHits = (await call(full, 'GET', `/api/client/files/${fileId}/ged/search?q=facture`)).json()
      .items;
    expect(fullHits.length).toBe(3);
    expect((await call(limited, 'GET', `/api/client/ged/documents/${socialDoc.id}/content`)).statusCode).toBe(
      200,
    );

    // Unshared document / folder: gone for the client.
    await call(admin, 'PATCH', `/api/ged/documents/${socialDoc.id}`, { visibleToClient: false });
    expect((await call(limited, 'GET', `/api/client/ged/documents/${socialDoc.id}/content`)).statusCode).toBe(
      404,
    );
    const fiscal = await folderNamed('Fiscal');
    expect((await call(full, 'GET', `/api/client/ged/folders/${fiscal.id}/documents`)).statusCode).toBe(404);
    // Another file of the same firm (no access) is not found.
    expect((await call(full, 'GET', `/api/client/files/${otherFileId}/ged/folders`)).statusCode).toBe(404);
    expect(
      (await call(full, 'GET', `/api/client/files/${otherFileId}/ged/search?q=facture`)).statusCode,
    ).toBe(404);
  });
});

describe('other files and firms answer 404', () => {
  it('on every firm route', async () => {
    const otherFolders = await folders(otherFirmFileId, stranger);
    const strangerFolder = otherFolders[1] as Folder;
    const strangerDoc = (
      await upload(stranger, `/api/ged/folders/${strangerFolder.id}/documents`, [
        { name: 'x.pdf', content: pdfWithText('secret') },
      ])
    ).json().results[0].document;
    const body = multipart([{ name: 'y.pdf', content: pdfWithText('y') }]);
    const requests: [string, string, unknown?][] = [
      ['GET', `/api/files/${otherFirmFileId}/ged/folders`],
      ['POST', `/api/files/${otherFirmFileId}/ged/folders`, { parentId: null, name: 'X' }],
      ['PATCH', `/api/ged/folders/${strangerFolder.id}`, { name: 'Y' }],
      ['DELETE', `/api/ged/folders/${strangerFolder.id}`],
      ['GET', `/api/ged/folders/${strangerFolder.id}/documents`],
      ['PATCH', `/api/ged/documents/${strangerDoc.id}`, { name: 'z.pdf' }],
      ['GET', `/api/ged/documents/${strangerDoc.id}/versions`],
      ['DELETE', `/api/ged/documents/${strangerDoc.id}`],
      ['POST', `/api/ged/documents/${strangerDoc.id}/restore`],
      ['GET', `/api/files/${otherFirmFileId}/ged/bin`],
      ['GET', `/api/ged/documents/${strangerDoc.id}/content`],
      ['GET', `/api/files/${otherFirmFileId}/ged/search?q=secret`],
    ];
    for (const [method, url, payload] of requests)
      expect((await call(admin, method as 'GET', url, payload)).statusCode, `${method} ${url}`).toBe(404);
    for (const url of [
      `/api/ged/folders/${strangerFolder.id}/documents`,
      `/api/ged/documents/${strangerDoc.id}/versions`,
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...admin.headers, ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode, url).toBe(404);
    }
    // The moved-to folder of another file is not found either.
    const mine = (
      await call(admin, 'GET', `/api/ged/folders/${(await folderNamed('Fiscal')).id}/documents`)
    ).json().items[0];
    expect(
      (await call(admin, 'PATCH', `/api/ged/documents/${mine.id}`, { folderId: strangerFolder.id }))
        .statusCode,
    ).toBe(404);
    const otherFileFolder = (await folders(otherFileId))[1] as Folder;
    expect(
      (await call(admin, 'PATCH', `/api/ged/documents/${mine.id}`, { folderId: otherFileFolder.id }))
        .statusCode,
    ).toBe(404);
  });

  it('on every client route', async () => {
    const client = await clientWithStart(t, firmId, fileId);
    const otherFolders = await folders(otherFirmFileId, stranger);
    const strangerDoc = (
      await call(stranger, 'GET', `/api/ged/folders/${(otherFolders[1] as Folder).id}/documents`)
    ).json().items[0];
    for (const url of [
      `/api/client/files/${otherFirmFileId}/ged/folders`,
      `/api/client/ged/folders/${(otherFolders[0] as Folder).id}/documents`,
      `/api/client/ged/documents/${strangerDoc.id}/content`,
      `/api/client/files/${otherFirmFileId}/ged/search?q=secret`,
    ])
      expect((await call(client, 'GET', url)).statusCode, url).toBe(404);
  });
});
