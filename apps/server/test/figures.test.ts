import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, fecAccountMonths, fecImports } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/** FEC import through the API (multipart upload), its history and report, and the key figures. */
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fecPath = (name: string) => path.resolve(repoRoot, '../shared/data/fec', name);
const FEC_2023 = '000000000FEC20231231.txt';
const FEC_2022 = '0000000001FEC20220831.txt';

const boundary = '----passerelle-fec-test';
type Who = { headers: Record<string, string> };
type Part = { name: string; content: Buffer | string; filename?: string };

function multipartBody(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: text/plain\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const HEADER =
  'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';
const line = (num: number, date: string, account: string, debit: string, credit: string) =>
  `VE\tVentes\t${num}\t${date}\t${account}\tCompte ${account}\t\t\tF${num}\t${date}\tVente\t${debit}\t${credit}\t\t\t${date}\t\t`;

/** A small, valid 2023 ledger: one sale of 1,000.00 excl. VAT, paid into the bank in June. */
const smallFec2023 = [
  HEADER,
  line(1, '20230315', '411000', '1200,00', '0,00'),
  line(1, '20230315', '706000', '0,00', '1000,00'),
  line(1, '20230315', '445710', '0,00', '200,00'),
  line(2, '20230610', '512000', '1200,00', '0,00'),
  line(2, '20230610', '411000', '0,00', '1200,00'),
  '',
].join('\r\n');

let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let reader: Awaited<ReturnType<typeof signInAsStaff>>;
let outsider: Awaited<ReturnType<typeof signInAsStaff>>;
let fec2023: Buffer;
let fec2022: Buffer;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  reader = await signInAsStaff(t, firmId, 'lecture_seule');
  outsider = await signInAsStaff(t, (await createFirm(t.ctx.db)).id);
  fec2023 = await readFile(fecPath(FEC_2023));
  fec2022 = await readFile(fecPath(FEC_2022));
});
afterAll(async () => t?.close());

const newFile = async () => (await createFile(t.ctx.db, firmId)).id;

function upload(who: Who, fileId: string, content: Buffer | string, filename: string, query = '') {
  return t.app.inject({
    method: 'POST',
    url: `/api/files/${fileId}/fec${query}`,
    headers: { ...who.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: multipartBody([{ name: 'file', filename, content }]),
  });
}

const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });

async function currentImports(fileId: string) {
  return t.ctx.db
    .select()
    .from(fecImports)
    .where(and(eq(fecImports.fileId, fileId), eq(fecImports.current, true)));
}

async function aggregateCount(importId: string) {
  const [row] = await t.ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(fecAccountMonths)
    .where(eq(fecAccountMonths.importId, importId));
  return row?.n ?? 0;
}

async function auditActions(fileId: string) {
  const rows = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, fileId));
  return rows.map((row) => row.action);
}

describe('importing a FEC', () => {
  let fileId: string;
  let importId: string;

  beforeAll(async () => {
    fileId = await newFile();
  });

  it('accepts a real FEC, keeps the raw file and takes the fiscal year from its name', async () => {
    const res = await upload(admin, fileId, fec2023, FEC_2023);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    importId = body.import.id;
    expect(body.replacedImportId).toBeNull();
    expect(body.import).toMatchObject({
      status: 'accepted',
      current: true,
      fiscalYear: { start: '2023-01-01', end: '2023-12-31' },
      originalName: FEC_2023,
      size: fec2023.length,
      sha256: createHash('sha256').update(fec2023).digest('hex'),
      rawFileKept: true,
      importedBy: { id: admin.staff.id },
      summary: { errorCount: 0 },
    });
    expect(body.import.lineCount).toBeGreaterThan(1000);

    const [row] = await t.ctx.db.select().from(fecImports).where(eq(fecImports.id, importId));
    expect(row?.blobKey).toBe(body.import.sha256);
    const stored = await t.ctx.blobs.get(row?.blobKey as string);
    const bytes: Buffer[] = [];
    for await (const chunk of stored) bytes.push(chunk as Buffer);
    expect(Buffer.concat(bytes).equals(fec2023)).toBe(true);
    expect(await aggregateCount(importId)).toBeGreaterThan(0);
    expect(await auditActions(fileId)).toContain('fec.imported');

    // The raw file is filed in the GED folder "Comptabilité", not shared with the client.
    const folders = (
      await t.app.inject({ method: 'GET', url: `/api/files/${fileId}/ged/folders`, headers: admin.headers })
    ).json();
    const compta = (folders.items ?? folders).find((f: { name: string }) => f.name === 'Comptabilité');
    expect(compta.visibleToClient).toBe(false);
    const docs = (
      await t.app.inject({
        method: 'GET',
        url: `/api/ged/folders/${compta.id}/documents`,
        headers: admin.headers,
      })
    ).json();
    expect(docs.items).toHaveLength(1);
    expect(docs.items[0]).toMatchObject({
      name: FEC_2023,
      sha256: body.import.sha256,
      visibleToClient: false,
    });
  });

  it('computes the key figures of the tax return, to the euro', async () => {
    const res = await get(admin, `/api/files/${fileId}/figures`);
    expect(res.statusCode, res.body).toBe(200);
    const { current, previous, fiscalYears } = res.json();
    expect(fiscalYears).toEqual([{ start: '2023-01-01', end: '2023-12-31' }]);
    expect(previous).toBeNull();
    expect(current.importId).toBe(importId);
    expect(current.fiscalYear).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(Math.round(current.figures.revenue)).toBe(165_298);
    expect(Math.round(current.figures.netIncome)).toBe(3_988);
    expect(Math.round(current.figures.cash)).toBe(91_971);
    expect(Math.round(current.figures.receivables)).toBe(27_772);
    expect(Date.parse(current.importedAt)).toBeGreaterThan(Date.now() - 60_000);

    const months = current.byMonth.map((m: { month: string }) => m.month);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2023-01');
    expect(months[11]).toBe('2023-12');
    const monthlyRevenue = current.byMonth.reduce(
      (sum: number, m: { revenue: number }) => sum + m.revenue,
      0,
    );
    expect(monthlyRevenue).toBeCloseTo(current.figures.revenue, 2);
    expect(current.byMonth[11].cash).toBeCloseTo(current.figures.cash, 2);
  });

  it('lists the import in the history and serves its full report in French', async () => {
    const list = await get(reader, `/api/files/${fileId}/fec-imports`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({ id: importId, status: 'accepted', current: true });

    const res = await get(reader, `/api/files/${fileId}/fec-imports/${importId}/report`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.report.status).toBe('accepted');
    expect(body.report.journals.length).toBeGreaterThan(1);
    expect(body.text).toContain('FICHIER ACCEPTÉ');
    expect(body.text).toContain(FEC_2023);
  });

  it('replaces the fiscal year atomically on a re-import: one current import, old aggregates unused', async () => {
    const res = await upload(admin, fileId, smallFec2023, 'export-2023.txt', '?fiscalYearEnd=2023-12-31');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.replacedImportId).toBe(importId);
    expect(body.import.fiscalYear).toEqual({ start: '2023-01-01', end: '2023-12-31' });

    const current = await currentImports(fileId);
    expect(current.map((row) => row.id)).toEqual([body.import.id]);
    expect(await aggregateCount(importId)).toBe(0);

    const figures = (await get(admin, `/api/files/${fileId}/figures`)).json();
    expect(figures.current.importId).toBe(body.import.id);
    // A mix with the replaced import would add its 165,298 of revenue.
    expect(figures.current.figures.revenue).toBe(1000);
    expect(figures.current.figures.cash).toBe(1200);
    expect(figures.current.figures.receivables).toBe(0);
    expect(figures.current.figures.vatCollected).toBe(200);
    expect(figures.current.byMonth[2]).toMatchObject({ month: '2023-03', revenue: 1000, cash: 0 });
    expect(figures.current.byMonth[5]).toMatchObject({ month: '2023-06', revenue: 0, cash: 1200 });

    const history = (await get(admin, `/api/files/${fileId}/fec-imports`)).json().items;
    expect(history.map((item: { id: string; current: boolean }) => [item.id, item.current])).toEqual([
      [body.import.id, true],
      [importId, false],
    ]);
    importId = body.import.id;
  });

  it('serialises concurrent imports of one year: both land, one stays current', async () => {
    const [first, second] = await Promise.all([
      upload(admin, fileId, smallFec2023, 'a.txt', '?fiscalYearEnd=2023-12-31'),
      upload(admin, fileId, smallFec2023, 'b.txt', '?fiscalYearEnd=2023-12-31'),
    ]);
    expect([first?.statusCode, second?.statusCode]).toEqual([201, 201]);
    const current = await currentImports(fileId);
    expect(current).toHaveLength(1);
    expect(await aggregateCount(current[0]?.id as string)).toBeGreaterThan(0);
    importId = current[0]?.id as string;
  });

  it('refuses a binary file with 422 FEC_REFUSED and its report, changing nothing else', async () => {
    const binary = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
    ]);
    const before = (await get(admin, `/api/files/${fileId}/figures`)).json();
    const res = await upload(admin, fileId, binary, 'FEC.txt', '?fiscalYearEnd=2023-12-31');
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('FEC_REFUSED');
    expect(error.message).toBe("Le FEC contient des erreurs bloquantes : il n'a pas été importé.");
    expect(error.report.status).toBe('refused');
    expect(error.report.issues.map((group: { code: string }) => group.code)).toContain('BINARY_FILE');

    expect((await currentImports(fileId)).map((row) => row.id)).toEqual([importId]);
    expect((await get(admin, `/api/files/${fileId}/figures`)).json()).toEqual(before);
    expect(await t.ctx.blobs.has(createHash('sha256').update(binary).digest('hex'))).toBe(false);

    const [row] = await t.ctx.db.select().from(fecImports).where(eq(fecImports.id, error.importId));
    expect(row).toMatchObject({ status: 'refused', current: false, blobKey: null });
    expect(await aggregateCount(error.importId)).toBe(0);
    expect(await auditActions(fileId)).toContain('fec.refused');
  });

  it('refuses an impossible date, keeps the attempt and its report in the history', async () => {
    // Past the first 512 bytes, where a NUL no longer reads as a binary file.
    const padding = Array.from({ length: 6 }, (_, i) => [
      line(10 + i, '20230301', '411000', '1,00', '0,00'),
      line(10 + i, '20230301', '706000', '0,00', '1,00'),
    ]).flat();
    const hostile = [
      HEADER,
      ...padding,
      line(1, '20231399', '411000', '100,00', '0,00'),
      line(1, '20231399', '706000', '0,00', '100,00'),
      // A NUL in a quoted value: PostgreSQL text cannot hold it, the stored report must.
      line(2, '2023\u00001231', '411000', '5,00', '0,00'),
      line(2, '20231231', '706000', '0,00', '5,00'),
      '',
    ].join('\n');
    const res = await upload(admin, fileId, hostile, 'hostile.txt', '?fiscalYearEnd=2023-12-31');
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json();
    const invalidDates = error.report.issues.find((group: { code: string }) => group.code === 'INVALID_DATE');
    expect(invalidDates.count).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(error.report)).toContain('20231399');
    expect(JSON.stringify(error.report)).toContain('2023\uFFFD1231');
    expect((await currentImports(fileId)).map((row) => row.id)).toEqual([importId]);
    expect(await t.ctx.blobs.has(createHash('sha256').update(hostile).digest('hex'))).toBe(false);

    const history = (await get(admin, `/api/files/${fileId}/fec-imports`)).json().items;
    expect(history[0]).toMatchObject({
      id: error.importId,
      status: 'refused',
      current: false,
      rawFileKept: false,
      originalName: 'hostile.txt',
      fiscalYear: { start: '2023-01-01', end: '2023-12-31' },
    });
    expect(history[0].summary.errorCount).toBeGreaterThan(0);
    expect(history[0].summary.issues[0]).toMatchObject({ code: 'INVALID_DATE', severity: 'error' });

    const report = (await get(admin, `/api/files/${fileId}/fec-imports/${error.importId}/report`)).json();
    expect(report.text).toContain('FICHIER REFUSÉ');
    expect(report.text).toContain('20231399');
  });
});

describe('who may import and read figures', () => {
  let fileId: string;
  let otherFirmFileId: string;

  beforeAll(async () => {
    fileId = await newFile();
    otherFirmFileId = (await createFile(t.ctx.db, (await createFirm(t.ctx.db)).id)).id;
  });

  it('refuses a lecture seule staff member with 403, yet lets them read the figures', async () => {
    const res = await upload(reader, fileId, smallFec2023, FEC_2023);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await t.ctx.db.select().from(fecImports).where(eq(fecImports.fileId, fileId))).toEqual([]);
    const figures = await get(reader, `/api/files/${fileId}/figures`);
    expect(figures.statusCode).toBe(200);
    expect(figures.json()).toEqual({ fileId, fiscalYears: [], current: null, previous: null });
  });

  it("answers 404 for another firm's file, on every route", async () => {
    expect((await upload(admin, otherFirmFileId, smallFec2023, FEC_2023)).statusCode).toBe(404);
    expect((await upload(outsider, fileId, smallFec2023, FEC_2023)).statusCode).toBe(404);
    expect((await get(outsider, `/api/files/${fileId}/figures`)).statusCode).toBe(404);
    expect((await get(outsider, `/api/files/${fileId}/fec-imports`)).statusCode).toBe(404);
    expect(await t.ctx.db.select().from(fecImports).where(eq(fecImports.fileId, otherFirmFileId))).toEqual(
      [],
    );
  });

  it('answers 404 for an import of another file', async () => {
    const imported = (await upload(admin, fileId, smallFec2023, FEC_2023)).json();
    const elsewhere = await newFile();
    const res = await get(admin, `/api/files/${elsewhere}/fec-imports/${imported.import.id}/report`);
    expect(res.statusCode).toBe(404);
  });
});

describe('bad requests', () => {
  let fileId: string;
  beforeAll(async () => {
    fileId = await newFile();
  });

  it('answers 400 when no file part is sent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/files/${fileId}/fec`,
      headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipartBody([{ name: 'note', content: 'pas de fichier' }]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'file' }] });
  });

  it('answers 400 to a body that is not multipart', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/files/${fileId}/fec`,
      headers: admin.headers,
      payload: { file: 'x' },
    });
    expect(res.statusCode).toBe(400);
  });

  it('answers 400 to a fiscal year that closes before it opens or runs past 24 months', async () => {
    for (const query of [
      '?fiscalYearStart=2023-12-31&fiscalYearEnd=2023-01-01',
      '?fiscalYearStart=2021-01-01&fiscalYearEnd=2023-12-31',
      '?fiscalYearEnd=2023-02-30',
    ]) {
      const res = await upload(admin, fileId, smallFec2023, FEC_2023, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('VALIDATION_FAILED');
    }
    expect(await t.ctx.db.select().from(fecImports).where(eq(fecImports.fileId, fileId))).toEqual([]);
  });

  it('answers 404 to figures of a fiscal year never imported', async () => {
    expect((await get(admin, `/api/files/${fileId}/figures?fiscalYearEnd=2020-12-31`)).statusCode).toBe(404);
  });
});

describe('comparison with the previous fiscal year', () => {
  let fileId: string;
  let id2022: string;
  let id2023: string;

  beforeAll(async () => {
    fileId = await newFile();
    const first = await upload(admin, fileId, fec2022, FEC_2022);
    expect(first.statusCode, first.body).toBe(201);
    id2022 = first.json().import.id;
    const second = await upload(admin, fileId, fec2023, FEC_2023);
    expect(second.statusCode, second.body).toBe(201);
    id2023 = second.json().import.id;
  });

  it('shows the latest year with the one before it, each with its monthly series', async () => {
    const res = await get(admin, `/api/files/${fileId}/figures`);
    expect(res.statusCode).toBe(200);
    const { current, previous, fiscalYears } = res.json();
    expect(fiscalYears).toEqual([
      { start: '2023-01-01', end: '2023-12-31' },
      { start: '2021-09-01', end: '2022-08-31' },
    ]);
    expect(current.importId).toBe(id2023);
    expect(Math.round(current.figures.revenue)).toBe(165_298);
    expect(previous.importId).toBe(id2022);
    expect(previous.fiscalYear).toEqual({ start: '2021-09-01', end: '2022-08-31' });
    expect(previous.byMonth.map((m: { month: string }) => m.month)).toEqual([
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-01',
      '2022-02',
      '2022-03',
      '2022-04',
      '2022-05',
      '2022-06',
      '2022-07',
      '2022-08',
    ]);
    expect(previous.figures.revenue).not.toBe(current.figures.revenue);
    const monthly = previous.byMonth.reduce((sum: number, m: { revenue: number }) => sum + m.revenue, 0);
    expect(monthly).toBeCloseTo(previous.figures.revenue, 2);
  });

  it('shows an earlier year on request, without a previous one', async () => {
    const res = await get(admin, `/api/files/${fileId}/figures?fiscalYearEnd=2022-08-31`);
    expect(res.statusCode).toBe(200);
    expect(res.json().current.importId).toBe(id2022);
    expect(res.json().previous).toBeNull();
  });
});

describe('upload size limit', () => {
  let small: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'passerelle-fec-'));
    small = await buildTestApp({ UPLOAD_MAX_BYTES: String(64 * 1024), DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await small?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a FEC over UPLOAD_MAX_BYTES with 413 and records nothing', async () => {
    const smallFirm = (await createFirm(small.ctx.db)).id;
    const staff = await signInAsStaff(small, smallFirm);
    const fileId = (await createFile(small.ctx.db, smallFirm)).id;
    const res = await small.app.inject({
      method: 'POST',
      url: `/api/files/${fileId}/fec`,
      headers: { ...staff.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipartBody([{ name: 'file', filename: FEC_2023, content: fec2023 }]),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await small.ctx.db.select().from(fecImports).where(eq(fecImports.fileId, fileId))).toEqual([]);
    expect(await small.ctx.blobs.has(createHash('sha256').update(fec2023).digest('hex'))).toBe(false);
    const left = await readdir(dataDir, { recursive: true, withFileTypes: true }).catch(() => []);
    expect(left.filter((entry) => entry.isFile())).toEqual([]);
  });
});
