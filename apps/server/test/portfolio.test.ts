import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

let t: TestApp;
let firmId: string;
let otherFirmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db)).id;
  otherFirmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  for (let i = 1; i <= 60; i++) {
    await createFile(t.ctx.db, firmId, {
      code: `C${String(i).padStart(3, '0')}`,
      name: i === 7 ? 'Boulangerie 100% Bio' : `Société ${i}`,
      siren: i === 7 ? '732829320' : null,
      responsibleId: i % 2 ? admin.staff.id : null,
    });
  }
  await createFile(t.ctx.db, otherFirmId, { code: 'C001', name: 'Boulangerie Ailleurs' });
});
afterAll(async () => t?.close());

const list = (query: string, headers = admin.headers) =>
  t.app.inject({ method: 'GET', url: `/api/files?${query}`, headers });

describe('GET /api/files', () => {
  it('pages through the firm files only', async () => {
    const res = await list('pageSize=50');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(60);
    expect(body.items).toHaveLength(50);
    expect(body.items[0].code).toBe('C001');
    const page2 = (await list('pageSize=50&page=2')).json();
    expect(page2.items).toHaveLength(10);
  });

  it('searches by name, code and SIREN, never across firms', async () => {
    const byName = (await list('q=boulangerie')).json();
    expect(byName.items.map((f: { name: string }) => f.name)).toEqual(['Boulangerie 100% Bio']);
    expect((await list('q=732%20829')).json().total).toBe(1);
    expect((await list('q=C06')).json().items.map((f: { code: string }) => f.code)).toEqual(['C060']);
    // `%` is a literal character, not a wildcard.
    expect((await list('q=100%25')).json().total).toBe(1);
    expect((await list('q=%25')).json().total).toBe(1);
  });

  it('sorts', async () => {
    const desc = (await list('sort=code&dir=desc&pageSize=1')).json();
    expect(desc.items[0].code).toBe('C060');
  });

  it('refuses malformed queries with field errors', async () => {
    const res = await list('sort=password&page=0');
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['page', 'sort']);
  });

  it('shows a restricted collaborator only the files they are responsible for', async () => {
    await t.ctx.db.execute(
      sql`update firms set settings = '{"collaboratorsSeeAllFiles": false}'::jsonb where id = ${firmId}`,
    );
    const collab = await signInAsStaff(t, firmId, 'collaborateur');
    expect((await list('', collab.headers)).json().total).toBe(0);
  });

  it('needs a staff session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/files' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});
