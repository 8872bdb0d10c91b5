import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, clientFiles } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

type Session = Awaited<ReturnType<typeof signInAsStaff>>;

/** Encodes text as Windows-1252, as Excel's "CSV (séparateur : point-virgule)" does on Windows. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c };
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0) ?? 0x3f;
      return extra[ch] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : 0x3f);
    }),
  );
}
const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

/** Each test gets its own firm, so counts and codes never depend on another test. */
async function newFirm(settings: { collaboratorsSeeAllFiles?: boolean } = {}) {
  const firmId = (await createFirm(t.ctx.db, { settings })).id;
  return { firmId, admin: await signInAsStaff(t, firmId) };
}

const upload = (session: Session, body: Buffer | string, commit?: boolean, contentType = 'text/csv') =>
  t.app.inject({
    method: 'POST',
    url: `/api/files/import${commit === undefined ? '' : `?commit=${commit}`}`,
    headers: { ...session.headers, 'content-type': contentType },
    payload: body,
  });

const filesOf = (firmId: string) =>
  t.ctx.db
    .select({
      code: clientFiles.code,
      name: clientFiles.name,
      siren: clientFiles.siren,
      legalForm: clientFiles.legalForm,
      fiscalYearEnd: clientFiles.fiscalYearEnd,
      responsibleId: clientFiles.responsibleId,
    })
    .from(clientFiles)
    .where(eq(clientFiles.firmId, firmId))
    .orderBy(asc(clientFiles.code));
const countOf = async (firmId: string) =>
  (
    await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(clientFiles)
      .where(eq(clientFiles.firmId, firmId))
  )[0]?.n;

const semicolonUtf8 = (responsibleEmail: string) =>
  [
    'Code;Raison sociale;SIREN;Forme juridique;Date de clôture;Responsable',
    `CLI001;Société Générale d'Électricité;732 829 320;SAS;31/12/2026;${responsibleEmail.toUpperCase()}`,
    'CLI002;"Boulangerie ""Au Bon Pain""; Fils";;SARL;2026-06-30;',
    'CLI003;"Menuiserie Roux\r\n& Associés";;EURL;;',
  ].join('\r\n');

describe('POST /api/files/import', () => {
  it('previews a UTF-8 file with ";" and quoted fields, writing nothing', async () => {
    const { firmId, admin } = await newFirm();
    const res = await upload(admin, utf8Bom(semicolonUtf8(admin.staff.email)));
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ committed: false, encoding: 'utf-8', separator: ';', total: 3, valid: 3 });
    expect(report.lines.map((l: { line: number }) => l.line)).toEqual([2, 3, 4]);
    expect(report.lines[0].values).toEqual({
      code: 'CLI001',
      name: "Société Générale d'Électricité",
      siren: '732 829 320',
      legalForm: 'SAS',
      fiscalYearEnd: '31/12/2026',
      responsible: admin.staff.email.toUpperCase(),
    });
    expect(report.lines[1].values.name).toBe('Boulangerie "Au Bon Pain"; Fils');
    expect(report.lines[2].values.name).toBe('Menuiserie Roux\r\n& Associés');
    expect(await countOf(firmId)).toBe(0);
    expect((await upload(admin, semicolonUtf8(admin.staff.email), false)).json().committed).toBe(false);
    expect(await countOf(firmId)).toBe(0);
  });

  it('commits a UTF-8 file: every line, normalized, in one go, with one audit event', async () => {
    const { firmId, admin } = await newFirm();
    const res = await upload(admin, utf8Bom(semicolonUtf8(admin.staff.email)), true);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, total: 3, valid: 3 });
    expect(await filesOf(firmId)).toEqual([
      {
        code: 'CLI001',
        name: "Société Générale d'Électricité",
        siren: '732829320',
        legalForm: 'SAS',
        fiscalYearEnd: '2026-12-31',
        responsibleId: admin.staff.id,
      },
      {
        code: 'CLI002',
        name: 'Boulangerie "Au Bon Pain"; Fils',
        siren: null,
        legalForm: 'SARL',
        fiscalYearEnd: '2026-06-30',
        responsibleId: null,
      },
      {
        code: 'CLI003',
        name: 'Menuiserie Roux\r\n& Associés',
        siren: null,
        legalForm: 'EURL',
        fiscalYearEnd: null,
        responsibleId: null,
      },
    ]);
    const audits = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.firmId, firmId), eq(auditEvents.action, 'file.imported')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.staff.id, details: { count: 3, encoding: 'utf-8' } });
  });

  it('reads a Windows-1252 file with "," and keeps the accents', async () => {
    const { firmId, admin } = await newFirm();
    const csv = [
      'code,RAISON SOCIALE,Siren,Date de cloture',
      `W001,"Société Générale d'Électricité, Cœur",732829320,30/09/2026`,
      'W002,Crème Brûlée & Fils’,,',
    ].join('\r\n');
    const preview = await upload(admin, windows1252(csv));
    expect(preview.json()).toMatchObject({ encoding: 'windows-1252', separator: ',', total: 2, valid: 2 });
    expect((await upload(admin, windows1252(csv), true)).statusCode).toBe(200);
    expect((await filesOf(firmId)).map((f) => f.name)).toEqual([
      "Société Générale d'Électricité, Cœur",
      'Crème Brûlée & Fils’',
    ]);
  });

  it('reports each bad field of each line in French, and commits nothing when one line is wrong', async () => {
    const { firmId, admin } = await newFirm();
    await createFile(t.ctx.db, firmId, { code: 'EXIST1', name: 'Déjà là' });
    const csv = [
      'Code;Raison sociale;SIREN;Date de clôture;Responsable',
      'OK0001;Correct;;;',
      ';Sans code;;;',
      'OK0002;;;;',
      'OK0003;Siren faux;732829321;;',
      'OK0004;Date fausse;;31/02/2026;',
      'OK0005;Responsable inconnu;;;personne@ailleurs.test',
      'ok0001;Doublon dans le fichier;;;',
      'exist1;Déjà dans le cabinet;;;',
    ].join('\n');

    const preview = await upload(admin, csv);
    expect(preview.statusCode).toBe(200);
    const report = preview.json();
    expect(report).toMatchObject({ committed: false, total: 8, valid: 1 });
    const errors = Object.fromEntries(
      report.lines.map((l: { line: number; errors: { field: string; message: string }[] }) => [
        l.line,
        l.errors.map((e) => `${e.field}: ${e.message}`),
      ]),
    );
    expect(errors).toEqual({
      2: [],
      3: ['code: Le code est obligatoire.'],
      4: ['name: La raison sociale est obligatoire.'],
      5: ['siren: SIREN invalide : 9 chiffres attendus, avec une clé de contrôle valide.'],
      6: ['fiscalYearEnd: Date de clôture invalide : écrivez JJ/MM/AAAA ou AAAA-MM-JJ.'],
      7: ['responsible: Responsable inconnu : aucun collaborateur actif du cabinet avec cet e-mail.'],
      8: ['code: Ce code figure déjà ligne 2 du fichier.'],
      9: ['code: Un dossier du cabinet porte déjà ce code.'],
    });

    const commit = await upload(admin, csv, true);
    expect(commit.statusCode).toBe(400);
    const body = commit.json();
    expect(body.error.code).toBe('IMPORT_INVALID');
    expect(body.error.message).toMatch(/rien n'a été importé/);
    expect(body.error.report).toMatchObject({ committed: false, total: 8, valid: 1 });
    expect(body.error.report.lines).toHaveLength(8);
    expect(await countOf(firmId)).toBe(1);
  });

  it('writes nothing when only the last of many lines is wrong', async () => {
    const { firmId, admin } = await newFirm();
    const lines = Array.from({ length: 2_500 }, (_, i) => `B${String(i).padStart(5, '0')};Société ${i}`);
    const csv = ['Code;Raison sociale', ...lines, 'LAST;'].join('\n');
    const res = await upload(admin, csv, true);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.report.valid).toBe(2_500);
    expect(await countOf(firmId)).toBe(0);
  });

  it('imports the maximum of 20,000 lines, and refuses one more', async () => {
    const { firmId, admin } = await newFirm();
    const line = (i: number) => `M${String(i).padStart(5, '0')};Société ${i};;SAS;31/12/2026`;
    const header = 'Code;Raison sociale;SIREN;Forme juridique;Date de clôture';
    const tooMany = [header, ...Array.from({ length: 20_001 }, (_, i) => line(i))].join('\n');
    const refused = await upload(admin, tooMany, false);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'IMPORT_INVALID',
      message: expect.stringMatching(/20\s000 lignes/),
    });

    const max = [header, ...Array.from({ length: 20_000 }, (_, i) => line(i))].join('\n');
    const res = await upload(admin, max, true);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, total: 20_000, valid: 20_000 });
    expect(await countOf(firmId)).toBe(20_000);
  });

  it('refuses a file without the required columns, naming them', async () => {
    const { admin } = await newFirm();
    const res = await upload(admin, 'Nom;SIRET\nx;y', false);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('IMPORT_INVALID');
    expect(res.json().error.message).toMatch(/Colonne obligatoire absente : Code/);
    const open = await upload(admin, 'Code;Raison sociale\nA;"jamais fermé\n', false);
    expect(open.json().error.message).toMatch(/Guillemet ouvert ligne 2/);
  });

  it('refuses anything but text/csv (415) and files over 5 MB (413)', async () => {
    const { admin } = await newFirm();
    const json = await upload(admin, JSON.stringify({ code: 'A' }), false, 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const xlsx = await upload(admin, Buffer.from('PK\u0003\u0004'), false, 'application/vnd.ms-excel');
    expect(xlsx.statusCode).toBe(415);
    const huge = await upload(admin, `Code;Raison sociale\n${'A;B\n'.repeat(1_400_000)}`, false);
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a bad commit flag', async () => {
    const { admin } = await newFirm();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files/import?commit=yes',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: 'Code;Raison sociale\nA;B',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('is refused to read-only staff, and to another kind of session', async () => {
    const { firmId } = await newFirm();
    const reader = await signInAsStaff(t, firmId, 'lecture_seule');
    const res = await upload(reader, 'Code;Raison sociale\nRO1;Lecture', true);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await countOf(firmId)).toBe(0);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/files/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'Code;Raison sociale\nA;B',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('makes a collaborator limited to their files the responsible of every line', async () => {
    const { firmId, admin } = await newFirm({ collaboratorsSeeAllFiles: false });
    const collab = await signInAsStaff(t, firmId, 'collaborateur');
    const csv = `Code;Raison sociale;Responsable\nC1;Un;\nC2;Deux;${collab.staff.email}\nC3;Trois;${admin.staff.email}`;
    const report = (await upload(collab, csv)).json();
    expect(report.lines.map((l: { errors: { field: string }[] }) => l.errors.map((e) => e.field))).toEqual([
      [],
      [],
      ['responsible'],
    ]);
    const ok = await upload(collab, 'Code;Raison sociale\nC1;Un\nC2;Deux', true);
    expect(ok.statusCode).toBe(200);
    expect((await filesOf(firmId)).map((f) => f.responsibleId)).toEqual([collab.staff.id, collab.staff.id]);
  });
});
