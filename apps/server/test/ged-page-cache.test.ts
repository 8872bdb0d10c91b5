import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientFiles, gedDocuments } from '../src/db/schema/index.ts';
import { createFolderPageCache, type FolderPageCache } from '../src/modules/ged/folder-page-cache.ts';
import { ensureFolders } from '../src/modules/ged/ged.service.ts';
import { multipart, pdfWithText } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { testDbKind } from './support/database.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/**
 * The firm's folder pages kept in process (decision 122): served again only while nothing that
 * shapes them changed, whoever changed it; the policy still decides on every request.
 */
let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let responsible: Awaited<ReturnType<typeof signInAsStaff>>;
let colleague: Awaited<ReturnType<typeof signInAsStaff>>;
let stranger: Awaited<ReturnType<typeof signInAsStaff>>;
const others: FolderPageCache[] = [];

type Who = { headers: Record<string, string> };
type Listed = { id: string; name: string; folderId: string; visibleToClient: boolean };

const call = (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
const list = (who: Who, folderId: string, query = '') =>
  call(who, 'GET', `/api/ged/folders/${folderId}/documents${query}`);
const names = async (folderId: string, who: Who = admin, query = '') => {
  const res = await list(who, folderId, query);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Listed[]).map((d) => d.name);
};
const upload = async (folderId: string, name: string, text = name) => {
  const body = multipart([{ name, content: pdfWithText(`${text} ${Math.random()}`) }]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/ged/folders/${folderId}/documents`,
    headers: { ...admin.headers, ...body.headers },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().results[0].document as Listed;
};
const hits = () => t.ctx.gedPages.stats().hits;

async function newFile(responsibleId?: string) {
  const file = await createFile(t.ctx.db, firmId, responsibleId ? { responsibleId } : {});
  const inbox = await ensureFolders(t.ctx.db, firmId, file.id);
  const folders = (await call(admin, 'GET', `/api/files/${file.id}/ged/folders`)).json().items as {
    id: string;
    name: string;
  }[];
  const named = (name: string) => folders.find((f) => f.name === name)?.id as string;
  return { file, inbox: inbox.id, compta: named('Comptabilité'), fiscal: named('Fiscal') };
}

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db, { settings: { collaboratorsSeeAllFiles: false } })).id;
  admin = await signInAsStaff(t, firmId);
  responsible = await signInAsStaff(t, firmId, 'collaborateur');
  colleague = await signInAsStaff(t, firmId, 'collaborateur');
  stranger = await signInAsStaff(t, (await createFirm(t.ctx.db)).id);
});
afterAll(async () => {
  for (const other of others) await other.disconnect();
  await t?.close();
});

describe('the GED folder-page cache', () => {
  it('serves a page again from memory, byte for byte, and keeps pages of different cursors and sizes apart', async () => {
    const { compta } = await newFile();
    for (const name of ['b.pdf', 'a.pdf', 'c.pdf']) await upload(compta, name);
    // The uploads' own notifications, heard after a page was kept, would rightly drop it.
    await t.ctx.gedPages.settled();
    const first = await list(admin, compta, '?limit=2');
    const before = hits();
    const again = await list(admin, compta, '?limit=2');
    expect(hits()).toBe(before + 1);
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.body).toBe(first.body);
    expect(await names(compta, admin, '?limit=3')).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
    const next = first.json().nextCursor as string;
    expect(await names(compta, admin, `?limit=2&cursor=${next}`)).toEqual(['c.pdf']);
  });

  it('shows at once what this instance just changed: upload, rename, move, share, bin, restore, new version', async () => {
    const { compta, fiscal } = await newFile();
    const doc = await upload(compta, 'Facture 1.pdf');
    expect(await names(compta)).toEqual(['Facture 1.pdf']);
    expect(await names(compta)).toEqual(['Facture 1.pdf']); // cached now

    await upload(compta, 'Facture 2.pdf');
    expect(await names(compta)).toEqual(['Facture 1.pdf', 'Facture 2.pdf']);

    expect(
      (await call(admin, 'PATCH', `/api/ged/documents/${doc.id}`, { name: 'Avoir 1.pdf' })).statusCode,
    ).toBe(200);
    expect(await names(compta)).toEqual(['Avoir 1.pdf', 'Facture 2.pdf']);

    await call(admin, 'PATCH', `/api/ged/documents/${doc.id}`, { visibleToClient: true });
    const shared = (await list(admin, compta)).json().items as Listed[];
    expect(shared.find((d) => d.id === doc.id)?.visibleToClient).toBe(true);

    expect(await names(fiscal)).toEqual([]);
    await call(admin, 'PATCH', `/api/ged/documents/${doc.id}`, { folderId: fiscal });
    expect(await names(compta)).toEqual(['Facture 2.pdf']);
    expect(await names(fiscal)).toEqual(['Avoir 1.pdf']);

    expect((await call(admin, 'DELETE', `/api/ged/documents/${doc.id}`)).statusCode).toBe(204);
    expect(await names(fiscal)).toEqual([]);
    expect((await call(admin, 'POST', `/api/ged/documents/${doc.id}/restore`)).statusCode).toBe(200);
    expect(await names(fiscal)).toEqual(['Avoir 1.pdf']);

    const body = multipart([{ name: 'Avoir 1 corrigé.pdf', content: pdfWithText('v2') }]);
    const v2 = await t.app.inject({
      method: 'POST',
      url: `/api/ged/documents/${doc.id}/versions`,
      headers: { ...admin.headers, ...body.headers },
      payload: body.payload,
    });
    expect(v2.statusCode, v2.body).toBe(201);
    const after = (await list(admin, fiscal)).json().items as (Listed & { version: number })[];
    expect(after.map((d) => [d.name, d.version])).toEqual([['Avoir 1 corrigé.pdf', 2]]);
  });

  it('hears a change made behind the application’s back (another instance, a job, SQL by hand)', async () => {
    const { compta } = await newFile();
    const doc = await upload(compta, 'Relevé.pdf');
    expect(await names(compta)).toEqual(['Relevé.pdf']);
    await t.ctx.db
      .update(gedDocuments)
      .set({ name: 'Relevé de mars.pdf' })
      .where(eq(gedDocuments.id, doc.id));
    await t.ctx.gedPages.settled();
    expect(await names(compta)).toEqual(['Relevé de mars.pdf']);
    await t.ctx.db.delete(gedDocuments).where(eq(gedDocuments.id, doc.id));
    await t.ctx.gedPages.settled();
    expect(await names(compta)).toEqual([]);
  });

  it('still asks the policy on every request: another firm, and a collaborator who is not (or no longer) responsible', async () => {
    const { file, compta } = await newFile(responsible.staff.id);
    await upload(compta, 'Paie.pdf');
    await t.ctx.gedPages.settled();
    expect(await names(compta, responsible)).toEqual(['Paie.pdf']);
    const before = hits();
    expect((await list(stranger, compta)).statusCode).toBe(404);
    expect((await list(colleague, compta)).statusCode).toBe(404);
    expect(hits()).toBe(before + 2); // answered from the cached page's scope, by the policy

    // The file changes hands through the API: the new responsible sees it, the former does not.
    const patched = await call(admin, 'PATCH', `/api/files/${file.id}`, {
      responsibleId: colleague.staff.id,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await names(compta, colleague)).toEqual(['Paie.pdf']);
    expect((await list(responsible, compta)).statusCode).toBe(404);

    // …and behind the application's back.
    await t.ctx.db
      .update(clientFiles)
      .set({ responsibleId: responsible.staff.id })
      .where(eq(clientFiles.id, file.id));
    await t.ctx.gedPages.settled();
    expect((await list(colleague, compta)).statusCode).toBe(404);
    expect(await names(compta, responsible)).toEqual(['Paie.pdf']);
  });

  it('a page read before a change committed is not kept (the change wins the race)', async () => {
    const cache = t.ctx.gedPages;
    const scope = { id: crypto.randomUUID(), firmId, responsibleId: null };
    const page = { scope, body: Buffer.from('{"items":[],"nextCursor":null}') };
    const key = cache.key(crypto.randomUUID(), '', 50);
    const begun = cache.begin();
    cache.invalidateFile(scope.id);
    cache.store(key, begun, page);
    expect(cache.get(key)).toBeUndefined();
    const again = cache.begin();
    cache.store(key, again, page);
    expect(cache.get(key)?.body.equals(page.body)).toBe(true);
    cache.invalidateFirm(firmId);
    expect(cache.get(key)).toBeUndefined();
    // Another file's or firm's change leaves it alone.
    cache.store(key, cache.begin(), page);
    cache.invalidateFile(crypto.randomUUID());
    cache.invalidateFirm(crypto.randomUUID());
    expect(cache.get(key)).toBeDefined();
  });

  it('stays within its memory, forgets pages after its TTL, and is off at 0 MB', async () => {
    let now = 1_000;
    const small = createFolderPageCache(t.ctx.db, { maxBytes: 8 * 1024, ttlMs: 1_000, now: () => now });
    others.push(small);
    await small.connect();
    const scope = { id: crypto.randomUUID(), firmId, responsibleId: null };
    for (let i = 0; i < 20; i++) {
      small.store(small.key(scope.id, String(i), 50), small.begin(), { scope, body: Buffer.alloc(900) });
    }
    expect(small.stats().bytes).toBeLessThanOrEqual(8 * 1024);
    expect(small.get(small.key(scope.id, '19', 50))).toBeDefined();
    expect(small.get(small.key(scope.id, '0', 50))).toBeUndefined(); // the oldest went first
    small.store('too big', small.begin(), { scope, body: Buffer.alloc(2 * 1024) }); // > 1/8 of it
    expect(small.get('too big')).toBeUndefined();
    now += 1_000;
    expect(small.get(small.key(scope.id, '19', 50))).toBeUndefined();

    const off = await buildTestApp({ GED_PAGE_CACHE_MB: '0' });
    try {
      const offFirm = (await createFirm(off.ctx.db)).id;
      const offAdmin = await signInAsStaff(off, offFirm);
      const offFile = await createFile(off.ctx.db, offFirm);
      const inbox = await ensureFolders(off.ctx.db, offFirm, offFile.id);
      for (let i = 0; i < 2; i++) {
        const res = await off.app.inject({
          method: 'GET',
          url: `/api/ged/folders/${inbox.id}/documents`,
          headers: offAdmin.headers,
        });
        expect(res.statusCode).toBe(200);
      }
      expect(off.ctx.gedPages.stats()).toMatchObject({ hits: 0, entries: 0 });
    } finally {
      await off.close();
    }
  });

  it('another instance on the same database drops its pages of a file changed here', async () => {
    const other = createFolderPageCache(t.ctx.db, { maxBytes: 1024 * 1024 });
    others.push(other);
    await other.connect();
    const { file, compta } = await newFile();
    const doc = await upload(compta, 'Contrat.pdf');
    const key = other.key(compta, '', 50);
    const scope = { id: file.id, firmId, responsibleId: null };
    other.store(key, other.begin(), { scope, body: Buffer.from('stale') });
    expect(other.get(key)).toBeDefined();
    expect(
      (await call(admin, 'PATCH', `/api/ged/documents/${doc.id}`, { name: 'Contrat signé.pdf' })).statusCode,
    ).toBe(200);
    await other.settled();
    expect(other.get(key)).toBeUndefined();
  });

  if (testDbKind === 'postgres') {
    it('forgets everything and stops serving pages while its LISTEN connection is down', async () => {
      const { compta } = await newFile();
      await upload(compta, 'Statuts.pdf');
      await t.ctx.gedPages.settled();
      await names(compta);
      const before = hits();
      await names(compta);
      expect(hits()).toBe(before + 1);
      await t.ctx.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`,
      );
      await vi.waitFor(() => expect(t.ctx.gedPages.stats().entries).toBe(0), { timeout: 10_000 });
      // Back once reconnected: pages are kept and served again.
      await vi.waitFor(
        async () => {
          await names(compta);
          const at = hits();
          await names(compta);
          expect(hits()).toBe(at + 1);
        },
        { timeout: 10_000 },
      );
    });
  }

  it('a TRUNCATE of the documents drops every page', async () => {
    const { compta } = await newFile();
    await upload(compta, 'Dernier.pdf');
    await names(compta);
    expect(t.ctx.gedPages.stats().entries).toBeGreaterThan(0);
    await t.ctx.db.execute(sql`truncate ged_document_versions, ged_documents cascade`);
    await t.ctx.gedPages.settled();
    expect(t.ctx.gedPages.stats().entries).toBe(0);
    expect(await names(compta)).toEqual([]);
  });
});
