import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, clientFiles, fileOffers, offers, staffMembers } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, createStaff, signInAsStaff } from './support/factories.ts';

type Session = Awaited<ReturnType<typeof signInAsStaff>>;

let t: TestApp;
let firmId: string;
let otherFirmId: string;
let admin: Session;
let reader: Session;
let otherAdmin: Session;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db)).id;
  otherFirmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  reader = await signInAsStaff(t, firmId, 'lecture_seule');
  otherAdmin = await signInAsStaff(t, otherFirmId);
});
afterAll(async () => t?.close());

const post = (payload: object, session: Session = admin) =>
  t.app.inject({ method: 'POST', url: '/api/files', headers: session.headers, payload });
const patch = (id: string, payload: object, session: Session = admin) =>
  t.app.inject({ method: 'PATCH', url: `/api/files/${id}`, headers: session.headers, payload });
const get = (id: string, session: Session = admin) =>
  t.app.inject({ method: 'GET', url: `/api/files/${id}`, headers: session.headers });

const countFiles = async (firm = firmId) =>
  (
    await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(clientFiles)
      .where(eq(clientFiles.firmId, firm))
  )[0]?.n;
const auditOf = (action: string, targetId: string) =>
  t.ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
const fieldPaths = (body: { error: { fields?: { path: string }[] } }) =>
  (body.error.fields ?? []).map((f) => f.path).sort();

describe('POST /api/files', () => {
  it('creates a file with every field, and records who did it', async () => {
    const res = await post({
      code: ' CRE001 ',
      name: "Société Générale d'Électricité",
      siren: '732 829 320',
      legalForm: 'SAS',
      fiscalYearEnd: '2026-12-31',
      responsibleId: admin.staff.id,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      code: 'CRE001',
      name: "Société Générale d'Électricité",
      siren: '732829320',
      legalForm: 'SAS',
      fiscalYearEnd: '2026-12-31',
      responsible: { id: admin.staff.id },
      offer: null,
    });
    const [audit] = await auditOf('file.created', body.id);
    expect(audit).toMatchObject({ firmId, actorType: 'staff', actorId: admin.staff.id, targetType: 'file' });
  });

  it('needs only a code and a name; empty optional fields are stored as none', async () => {
    const res = await post({ code: 'MIN001', name: 'Minimal', siren: '', legalForm: '' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      siren: null,
      legalForm: null,
      fiscalYearEnd: null,
      responsible: null,
    });
  });

  it('refuses a code already used in the firm, whatever its case, but not one of another firm', async () => {
    await createFile(t.ctx.db, firmId, { code: 'DUP001', name: 'Premier' });
    const res = await post({ code: 'dup001', name: 'Second' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FILE_CODE_TAKEN');
    expect(fieldPaths(res.json())).toEqual(['code']);
    expect((await post({ code: 'DUP001', name: 'Ailleurs' }, otherAdmin)).statusCode).toBe(201);
  });

  it('lets the unique index decide between two simultaneous creations of one code', async () => {
    const results = await Promise.all([
      post({ code: 'RACE01', name: 'A' }),
      post({ code: 'race01', name: 'B' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('FILE_CODE_TAKEN');
  });

  it('refuses a SIREN that is not 9 digits with a valid key', async () => {
    for (const siren of ['732829321', '73282932', 'ABCDEFGHI']) {
      const res = await post({ code: `SIR-${siren}`, name: 'Siren' });
      expect(res.statusCode).toBe(201);
      const bad = await post({ code: `BAD-${siren}`, name: 'Siren', siren });
      expect(bad.statusCode, siren).toBe(400);
      expect(bad.json().error.code).toBe('SIREN_INVALID');
      expect(fieldPaths(bad.json())).toEqual(['siren']);
    }
  });

  it('refuses missing, too long or malformed fields, naming each', async () => {
    const res = await post({ code: '  ', legalForm: 'X'.repeat(21), fiscalYearEnd: '31/12/2026' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(res.json())).toEqual(['code', 'fiscalYearEnd', 'legalForm', 'name']);
    const long = await post({ code: 'C'.repeat(21), name: 'N'.repeat(201), responsibleId: 'not-a-uuid' });
    expect(fieldPaths(long.json())).toEqual(['code', 'name', 'responsibleId']);
  });

  it('refuses a responsible who is not an active staff member of the firm', async () => {
    const outsider = await createStaff(t.ctx.db, otherFirmId);
    const departed = await createStaff(t.ctx.db, firmId, 'collaborateur');
    await t.ctx.db.update(staffMembers).set({ active: false }).where(eq(staffMembers.id, departed.staff.id));
    for (const responsibleId of [
      outsider.staff.id,
      departed.staff.id,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const before = await countFiles();
      const res = await post({ code: `RESP-${responsibleId.slice(0, 8)}`, name: 'R', responsibleId });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(fieldPaths(res.json())).toEqual(['responsibleId']);
      expect(await countFiles()).toBe(before);
    }
  });

  it('is refused to read-only staff, and writes nothing', async () => {
    const before = await countFiles();
    const res = await post({ code: 'RO0001', name: 'Lecture seule' }, reader);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await countFiles()).toBe(before);
  });

  it('needs the CSRF token of the session', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { cookie: admin.headers.cookie },
      payload: { code: 'CSRF01', name: 'X' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
  });
});

describe('GET /api/files/:fileId', () => {
  it('returns the file with its responsible and its active offer', async () => {
    await t.ctx.db
      .insert(offers)
      .values({
        code: 'start',
        label: 'Start',
        description: 'Offre Start',
        capabilities: ['ged.read'],
        position: 1,
      })
      .onConflictDoNothing();
    const file = await createFile(t.ctx.db, firmId, {
      code: 'DET001',
      name: 'Détail',
      responsibleId: admin.staff.id,
    });
    expect((await get(file.id)).json().offer).toBeNull();
    const activatedAt = new Date('2026-03-01T10:00:00Z');
    await t.ctx.db.insert(fileOffers).values({ fileId: file.id, firmId, offerCode: 'start', activatedAt });

    const res = await get(file.id, reader);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: file.id,
      code: 'DET001',
      name: 'Détail',
      siren: null,
      legalForm: null,
      fiscalYearEnd: null,
      responsible: { id: admin.staff.id, name: `Alex ${admin.staff.lastName}` },
      offer: { code: 'start', label: 'Start', activatedAt: activatedAt.toISOString() },
    });

    await t.ctx.db.update(fileOffers).set({ active: false }).where(eq(fileOffers.fileId, file.id));
    expect((await get(file.id)).json().offer).toBeNull();
  });

  it("answers 404 for another firm's file and for an unknown id, 400 for a malformed one", async () => {
    const foreign = await createFile(t.ctx.db, otherFirmId, { code: 'FOR001' });
    for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await get(id);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const bad = await get('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(bad.json())).toEqual(['fileId']);
  });

  it('needs a staff session', async () => {
    const file = await createFile(t.ctx.db, firmId);
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${file.id}` })).statusCode).toBe(401);
  });
});

describe('PATCH /api/files/:fileId', () => {
  it('changes the fields given, leaves the others, and records the changes', async () => {
    const colleague = await createStaff(t.ctx.db, firmId, 'collaborateur');
    const file = await createFile(t.ctx.db, firmId, {
      code: 'UPD001',
      name: 'Avant',
      siren: '732829320',
      legalForm: 'SARL',
    });
    const res = await patch(file.id, {
      name: 'Après',
      siren: null,
      fiscalYearEnd: '2026-06-30',
      responsibleId: colleague.staff.id,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: 'UPD001',
      name: 'Après',
      siren: null,
      legalForm: 'SARL',
      fiscalYearEnd: '2026-06-30',
      responsible: { id: colleague.staff.id },
    });
    const [audit] = await auditOf('file.updated', file.id);
    expect(audit?.details).toMatchObject({
      changes: {
        name: { from: 'Avant', to: 'Après' },
        siren: { from: '732829320', to: null },
        responsibleId: { from: null, to: colleague.staff.id },
      },
    });
    expect(Object.keys((audit?.details as { changes?: object } | undefined)?.changes ?? {})).not.toContain(
      'legalForm',
    );
  });

  it('records nothing when nothing changes', async () => {
    const file = await createFile(t.ctx.db, firmId, { code: 'SAME01', name: 'Pareil' });
    expect((await patch(file.id, { name: 'Pareil' })).statusCode).toBe(200);
    expect(await auditOf('file.updated', file.id)).toHaveLength(0);
  });

  it("refuses another file's code, but accepts a change of case of its own", async () => {
    await createFile(t.ctx.db, firmId, { code: 'TAKEN1' });
    const file = await createFile(t.ctx.db, firmId, { code: 'mine01' });
    const res = await patch(file.id, { code: 'taken1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FILE_CODE_TAKEN');
    expect((await patch(file.id, { code: 'MINE01' })).json().code).toBe('MINE01');
  });

  it('refuses a bad SIREN or an outside responsible and changes nothing', async () => {
    const outsider = await createStaff(t.ctx.db, otherFirmId);
    const file = await createFile(t.ctx.db, firmId, { code: 'UPD002', name: 'Intact' });
    const bad = await patch(file.id, { name: 'Changé', siren: '123456789' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SIREN_INVALID');
    const outside = await patch(file.id, { name: 'Changé', responsibleId: outsider.staff.id });
    expect(outside.statusCode).toBe(400);
    expect(fieldPaths(outside.json())).toEqual(['responsibleId']);
    expect((await get(file.id)).json().name).toBe('Intact');
  });

  it("is refused to read-only staff (403) and on another firm's file (404)", async () => {
    const file = await createFile(t.ctx.db, firmId, { code: 'UPD003', name: 'Intact' });
    const ro = await patch(file.id, { name: 'Changé' }, reader);
    expect(ro.statusCode).toBe(403);
    expect(ro.json().error.code).toBe('FORBIDDEN');
    const foreign = await patch(file.id, { name: 'Changé' }, otherAdmin);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOT_FOUND');
    expect((await patch('not-a-uuid', { name: 'x' })).statusCode).toBe(400);
    expect((await get(file.id)).json().name).toBe('Intact');
  });
});

describe('a collaborator who sees only their files', () => {
  let restrictedFirmId: string;
  let collab: Session;
  let boss: Session;

  beforeAll(async () => {
    restrictedFirmId = (await createFirm(t.ctx.db, { settings: { collaboratorsSeeAllFiles: false } })).id;
    collab = await signInAsStaff(t, restrictedFirmId, 'collaborateur');
    boss = await signInAsStaff(t, restrictedFirmId);
  });

  it('becomes the responsible of what they create, and may not give it away', async () => {
    const created = await post({ code: 'OWN001', name: 'À moi' }, collab);
    expect(created.statusCode).toBe(201);
    expect(created.json().responsible.id).toBe(collab.staff.id);
    const forOther = await post(
      { code: 'OWN002', name: 'Pour un autre', responsibleId: boss.staff.id },
      collab,
    );
    expect(forOther.statusCode).toBe(403);
    expect(fieldPaths(forOther.json())).toEqual(['responsibleId']);
    const giveAway = await patch(created.json().id, { responsibleId: boss.staff.id }, collab);
    expect(giveAway.statusCode).toBe(403);
  });

  it("cannot see or change a colleague's file (404)", async () => {
    const file = await createFile(t.ctx.db, restrictedFirmId, {
      code: 'BOSS01',
      responsibleId: boss.staff.id,
    });
    expect((await get(file.id, collab)).statusCode).toBe(404);
    expect((await patch(file.id, { name: 'x' }, collab)).statusCode).toBe(404);
    expect((await get(file.id, boss)).statusCode).toBe(200);
  });
});

describe('GET /api/staff', () => {
  it("lists the firm's active staff, by name, for the responsible picker", async () => {
    const firm = (await createFirm(t.ctx.db)).id;
    const me = await signInAsStaff(t, firm, 'lecture_seule');
    const colleague = await createStaff(t.ctx.db, firm, 'collaborateur');
    const departed = await createStaff(t.ctx.db, firm, 'collaborateur');
    await t.ctx.db.update(staffMembers).set({ active: false }).where(eq(staffMembers.id, departed.staff.id));
    await t.ctx.db
      .update(staffMembers)
      .set({ lastName: 'Aubert' })
      .where(eq(staffMembers.id, colleague.staff.id));
    await t.ctx.db.update(staffMembers).set({ lastName: 'Zola' }).where(eq(staffMembers.id, me.staff.id));

    const res = await t.app.inject({ method: 'GET', url: '/api/staff', headers: me.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: colleague.staff.id, name: 'Alex Aubert', role: 'collaborateur', email: colleague.staff.email },
      { id: me.staff.id, name: 'Alex Zola', role: 'lecture_seule', email: me.staff.email },
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/api/staff' })).statusCode).toBe(401);
  });
});

describe('search', () => {
  it('ignores accents and case, on code, name and SIREN', async () => {
    const firm = (await createFirm(t.ctx.db)).id;
    const me = await signInAsStaff(t, firm);
    await createFile(t.ctx.db, firm, {
      code: 'ELEC01',
      name: "Société Générale d'Électricité",
      siren: '732829320',
    });
    await createFile(t.ctx.db, firm, { code: 'CŒUR1', name: 'Cœur de Bœuf' });
    await createFile(t.ctx.db, firm, { code: 'AUTRE1', name: 'Autre' });
    const codes = async (q: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/files?q=${encodeURIComponent(q)}`,
          headers: me.headers,
        })
      )
        .json()
        .items.map((f: { code: string }) => f.code);
    expect(await codes('electricite')).toEqual(['ELEC01']);
    expect(await codes('GÉNÉRALE D’ÉLEC')).toEqual(['ELEC01']);
    expect(await codes('boeuf')).toEqual(['CŒUR1']);
    expect(await codes('coeur')).toEqual(['CŒUR1']);
    expect(await codes('elec01')).toEqual(['ELEC01']);
    expect(await codes('829 320')).toEqual(['ELEC01']);
    expect(await codes('zzz')).toEqual([]);
  });

  it('keeps the search column in step with the file after a change', async () => {
    const firm = (await createFirm(t.ctx.db)).id;
    const me = await signInAsStaff(t, firm);
    const file = await createFile(t.ctx.db, firm, { code: 'REN001', name: 'Ancien Nom' });
    await patch(file.id, { name: 'Nouvelle Raison' }, me);
    const search = async (q: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/files?q=${q}`, headers: me.headers })).json().total;
    expect(await search('ancien')).toBe(0);
    expect(await search('nouvelle')).toBe(1);
  });
});
