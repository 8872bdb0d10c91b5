import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, clientFiles, outboxMails, pieces } from '../src/db/schema/index.ts';
import { blobFiles, clientWithStart, multipart, pdfWithText, png } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsClient, signInAsStaff } from './support/factories.ts';

/** Pieces: the client's deposits, the firm's inbox, rejection mail, the per-file digest. */
let t: TestApp;
let dataDir: string;
let firmId: string;
let fileId: string;
let otherFileId: string;
let otherFirmFileId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let stranger: Awaited<ReturnType<typeof signInAsStaff>>;
let client: Awaited<ReturnType<typeof clientWithStart>>;
type Who = { headers: Record<string, string> };

const call = (who: Who, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const deposit = (who: Who, fid: string, files: Parameters<typeof multipart>[0]) => {
  const body = multipart(files);
  return t.app.inject({
    method: 'POST',
    url: `/api/client/files/${fid}/pieces`,
    headers: { ...who.headers, ...body.headers },
    payload: body.payload,
  });
};

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-pieces-'));
  t = await buildTestApp({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(64 * 1024) });
  firmId = (await createFirm(t.ctx.db, { name: 'Cabinet Martin' })).id;
  const otherFirmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  stranger = await signInAsStaff(t, otherFirmId);
  fileId = (await createFile(t.ctx.db, firmId, { code: 'BOUL01', name: 'Boulangerie' })).id;
  await t.ctx.db.update(clientFiles).set({ responsibleId: admin.staff.id }).where(eq(clientFiles.id, fileId));
  otherFileId = (await createFile(t.ctx.db, firmId)).id;
  otherFirmFileId = (await createFile(t.ctx.db, otherFirmId)).id;
  client = await clientWithStart(t, firmId, fileId);
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('client deposits', () => {
  it('stores pieces in "Pièces déposées" with status à traiter, one result per file', async () => {
    const res = await deposit(client, fileId, [
      { name: 'ticket.png', content: png, type: 'image/png' },
      { name: 'facture-edf.pdf', content: pdfWithText('Facture EDF mars') },
      { name: 'virus.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]) },
    ]);
    expect(res.statusCode).toBe(201);
    const results = res.json().results;
    expect(results.map((r: { ok: boolean; code?: string }) => r.code ?? 'ok')).toEqual([
      'ok',
      'ok',
      'FILE_TYPE_REFUSED',
    ]);
    expect(results[0].piece).toMatchObject({ name: 'ticket.png', status: 'a_traiter' });
    const inbox = (await call(admin, 'GET', `/api/files/${fileId}/ged/folders`)).json().items[0];
    expect(inbox).toMatchObject({ name: 'Pièces déposées', documentCount: 2, isInbox: true });
    const audit = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'piece.uploaded'));
    expect(audit).toHaveLength(2);
  });

  it('a second deposit of the same content (or a retry) is DUPLICATE_PIECE, never a second piece', async () => {
    const before = await t.ctx.db.select().from(pieces);
    const res = await deposit(client, fileId, [{ name: 'ticket (1).png', content: png, type: 'image/png' }]);
    expect(res.statusCode).toBe(409);
    expect(res.json().results[0]).toMatchObject({ ok: false, code: 'DUPLICATE_PIECE' });
    expect(res.json().results[0].message).toMatch(/^Déjà déposée le \d{2}\/\d{2}\/\d{4}$/);
    // Two at once (an interrupted upload retried while the first is still committing).
    const [a, b] = await Promise.all([
      deposit(client, fileId, [{ name: 'releve.pdf', content: pdfWithText('Releve avril') }]),
      deposit(client, fileId, [{ name: 'releve.pdf', content: pdfWithText('Releve avril') }]),
    ]);
    expect([a?.statusCode, b?.statusCode].sort()).toEqual([201, 409]);
    expect((await t.ctx.db.select().from(pieces)).length).toBe(before.length + 1);
  });

  it('refuses hostile files with nothing stored', async () => {
    const rows = (await t.ctx.db.select().from(pieces)).length;
    const blobs = (await blobFiles(dataDir)).sort();
    const res = await deposit(client, fileId, [{ name: 'x\u0000.pdf', content: pdfWithText('x') }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FILE_NAME_INVALID');
    const spoof = await deposit(client, fileId, [{ name: 'photo.jpg', content: png }]);
    expect(spoof.json().error.code).toBe('FILE_TYPE_MISMATCH');
    expect((await t.ctx.db.select().from(pieces)).length).toBe(rows);
    expect((await blobFiles(dataDir)).sort()).toEqual(blobs);
  });

  it('lists the client’s pieces by month and the dashboard', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const list = (await call(client, 'GET', `/api/client/files/${fileId}/pieces?month=${month}`)).json()
      .items;
    expect(list).toHaveLength(3);
    expect(
      (await call(client, 'GET', `/api/client/files/${fileId}/pieces?month=2001-01`)).json().items,
    ).toEqual([]);
    // Newest first, a keyset page at a time: every piece exactly once.
    const url = `/api/client/files/${fileId}/pieces?month=${month}&limit=2`;
    const first = (await call(client, 'GET', url)).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await call(client, 'GET', `${url}&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ nextCursor: null });
    const paged = [...first.items, ...second.items];
    expect(paged.map((p: { id: string }) => p.id)).toEqual(list.map((p: { id: string }) => p.id));
    const times = paged.map((p: { depositedAt: string }) => p.depositedAt);
    expect([...times].sort().reverse()).toEqual(times);
    // A forged cursor is refused; on a file one may not see, access answers first.
    const forged = await call(client, 'GET', `${url}&cursor=bm90LWEtY3Vyc29y`);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('VALIDATION_FAILED');
    expect((await call(client, 'GET', `/api/client/files/${otherFileId}/pieces?cursor=x`)).statusCode).toBe(
      404,
    );
    const dash = (await call(client, 'GET', `/api/client/files/${fileId}/dashboard`)).json();
    expect(dash.pieces).toMatchObject({ aTraiter: 3, traitees: 0, rejetees: 0 });
    expect(dash.pieces.items).toHaveLength(3);
    expect(dash.latestDocuments.length).toBe(3);
    expect(dash.figures).toBeNull();
  });
});

describe('firm inbox and processing', () => {
  it('pages the inbox newest first by keyset, filters by status and file', async () => {
    const first = (await call(admin, 'GET', '/api/pieces?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await call(admin, 'GET', `/api/pieces?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    const times = all.map((p: { depositedAt: string }) => p.depositedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await call(admin, 'GET', `/api/pieces?fileId=${fileId}&status=traitee`)).json().items).toEqual(
      [],
    );
    expect((await call(stranger, 'GET', '/api/pieces')).json().items).toEqual([]);
  });

  it('rejects with a reason (required), queues the client’s mail, and the client sees the reason', async () => {
    const [piece] = (await call(admin, 'GET', `/api/pieces?fileId=${fileId}`)).json().items;
    expect((await call(admin, 'PATCH', `/api/pieces/${piece.id}`, { status: 'rejetee' })).statusCode).toBe(
      400,
    );
    expect(
      (await call(admin, 'PATCH', `/api/pieces/${piece.id}`, { status: 'rejetee', reason: 'x'.repeat(501) }))
        .statusCode,
    ).toBe(400);
    const res = await call(admin, 'PATCH', `/api/pieces/${piece.id}`, {
      status: 'rejetee',
      reason: 'Illisible, merci de refaire la photo',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejetee', reason: 'Illisible, merci de refaire la photo' });
    const mails = await t.ctx.db.select().from(outboxMails).where(eq(outboxMails.kind, 'piece.rejected'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.toAddress).toBe(client.contact.email);
    expect(mails[0]?.textBody).toContain('Illisible, merci de refaire la photo');
    expect(mails[0]?.subject).toMatch(/^Pièce rejetée/);
    const mine = (await call(client, 'GET', `/api/client/files/${fileId}/pieces`)).json().items;
    expect(mine.find((p: { id: string }) => p.id === piece.id)).toMatchObject({
      status: 'rejetee',
      reason: 'Illisible, merci de refaire la photo',
    });
    const second = (await call(admin, 'GET', `/api/pieces?fileId=${fileId}&status=a_traiter`)).json()
      .items[0];
    expect(
      (await call(admin, 'PATCH', `/api/pieces/${second.id}`, { status: 'traitee' })).json().status,
    ).toBe('traitee');
  });

  it('the file widget counts pieces and shared documents', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/files/${fileId}/widgets/collaboratif`,
      headers: admin.headers,
      payload: { active: true },
    });
    expect(put.statusCode).toBe(200);
    const summary = (await call(admin, 'GET', `/api/files/${fileId}/dashboard`)).json().collaborativeWidget
      .summary;
    expect(summary.pieces).toEqual({ deposited: 3, waiting: 1 });
    expect(summary.documentsShared).toBe(3);
  });
});

describe('digest', () => {
  it('sends one mail per file for several new pieces, once', async () => {
    const before = (await t.ctx.db.select().from(outboxMails).where(eq(outboxMails.kind, 'pieces.digest')))
      .length;
    expect(await t.piecesDigest.runDigest()).toBe(1);
    const digests = await t.ctx.db.select().from(outboxMails).where(eq(outboxMails.kind, 'pieces.digest'));
    expect(digests.length - before).toBe(1);
    expect(digests.at(-1)?.toAddress).toBe(admin.staff.email);
    expect(digests.at(-1)?.subject).toBe('BOUL01 : 3 nouvelles pièces à traiter');
    expect(await t.piecesDigest.runDigest()).toBe(0);
    await deposit(client, fileId, [{ name: 'nouvelle.pdf', content: pdfWithText('Nouvelle piece') }]);
    expect(await t.piecesDigest.runDigest()).toBe(1);
  });
});

describe('other contacts, files and firms answer 404', () => {
  it('on every pieces route', async () => {
    const [piece] = (await call(admin, 'GET', `/api/pieces?fileId=${fileId}`)).json().items;
    expect((await call(stranger, 'PATCH', `/api/pieces/${piece.id}`, { status: 'traitee' })).statusCode).toBe(
      404,
    );
    expect((await call(stranger, 'GET', `/api/pieces?fileId=${fileId}`)).statusCode).toBe(404);
    const outsider = await signInAsClient(t, firmId); // same firm, not linked to the file
    for (const who of [outsider])
      for (const url of [`/api/client/files/${fileId}/pieces`, `/api/client/files/${fileId}/dashboard`])
        expect((await call(who, 'GET', url)).statusCode, url).toBe(404);
    expect((await deposit(outsider, fileId, [{ name: 'a.pdf', content: pdfWithText('a') }])).statusCode).toBe(
      404,
    );
    for (const fid of [otherFileId, otherFirmFileId]) {
      expect((await deposit(client, fid, [{ name: 'b.pdf', content: pdfWithText('b') }])).statusCode).toBe(
        404,
      );
      expect((await call(client, 'GET', `/api/client/files/${fid}/pieces`)).statusCode).toBe(404);
      expect((await call(client, 'GET', `/api/client/files/${fid}/dashboard`)).statusCode).toBe(404);
    }
  });

  it('a limited contact sees only their own pieces', async () => {
    const limited = await clientWithStart(t, firmId, fileId, { limitedTo: ['Social'] });
    expect((await call(limited, 'GET', `/api/client/files/${fileId}/pieces`)).json().items).toEqual([]);
    expect(
      (await deposit(limited, fileId, [{ name: 'bulletin.pdf', content: pdfWithText('Bulletin de paie') }]))
        .statusCode,
    ).toBe(201);
    expect((await call(limited, 'GET', `/api/client/files/${fileId}/pieces`)).json().items).toHaveLength(1);
  });
});
