import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contactFiles, firms, sessions, staffMembers } from '../src/db/schema/index.ts';
import { sha256 } from '../src/lib/tokens.ts';
import {
  createSessionService,
  SESSION_CACHE_TTL_MS,
  type SessionService,
} from '../src/modules/sessions/sessions.service.ts';
import { clientWithStart } from './ged-helpers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { testDbKind } from './support/database.ts';
import { createFile, createFirm, createStaff, signInAsClient, signInAsStaff } from './support/factories.ts';

/**
 * The in-process cache of loaded sessions: reused between requests, dropped at once by every
 * action that changes what a session resolves to, here and on the other instances.
 */
let t: TestApp;
const services: SessionService[] = [];

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  for (const s of services) await s.disconnect();
  await t?.close();
});

type Who = { headers: Record<string, string> };
const call = (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
const sessionStatus = async (who: Who) => (await call(who, 'GET', '/api/session')).statusCode;
const tokenOf = (who: Who) => (who.headers.cookie ?? '').split('=')[1] ?? '';
/** Removes the row without telling anyone: what only the cache can still answer. */
const deleteRowBehindTheBack = (who: Who) =>
  t.ctx.db.delete(sessions).where(eq(sessions.idHash, sha256(tokenOf(who))));

/** Another server instance on the same database, whose cache only a notification can clear. */
async function otherInstance(options: { now?: () => number } = {}) {
  const service = createSessionService(t.ctx.db, t.config.sessionTtlMs, {
    cacheTtlMs: options.now ? SESSION_CACHE_TTL_MS : 3_600_000,
    ...options,
  });
  await service.connect();
  services.push(service);
  return service;
}

describe('the session cache', () => {
  it('reuses a loaded session: a request is answered without reading the session row again', async () => {
    const firm = await createFirm(t.ctx.db);
    const admin = await signInAsStaff(t, firm.id);
    expect(await sessionStatus(admin)).toBe(200);
    await deleteRowBehindTheBack(admin);
    expect(await sessionStatus(admin)).toBe(200);
  });

  it('drops a session at once when it is signed out', async () => {
    const firm = await createFirm(t.ctx.db);
    const admin = await signInAsStaff(t, firm.id);
    expect(await sessionStatus(admin)).toBe(200);
    expect((await call(admin, 'POST', '/api/auth/logout')).statusCode).toBe(200);
    expect(await sessionStatus(admin)).toBe(401);
  });

  it('drops a deactivated staff member, a changed role and the firm’s visibility rule at once', async () => {
    const firm = await createFirm(t.ctx.db);
    const admin = await signInAsStaff(t, firm.id);
    const colleague = await signInAsStaff(t, firm.id, 'collaborateur');
    const file = await createFile(t.ctx.db, firm.id, { responsibleId: admin.staff.id });
    const folders = `/api/files/${file.id}/ged/folders`;
    expect((await call(colleague, 'GET', folders)).statusCode).toBe(200);

    // collaboratorsSeeAllFiles off: the colleague is not responsible for the file any more.
    await t.ctx.db
      .update(firms)
      .set({ settings: { collaboratorsSeeAllFiles: false } })
      .where(eq(firms.id, firm.id));
    await t.ctx.sessions.invalidate({ firmId: firm.id });
    expect((await call(colleague, 'GET', folders)).statusCode).toBe(404);
    expect((await call(admin, 'GET', folders)).statusCode).toBe(200);

    // Administrateur -> lecture seule: a write is refused on the next request.
    const write = () => call(admin, 'POST', folders, { parentId: null, name: 'Nouveau' });
    expect((await write()).statusCode).toBe(201);
    await t.ctx.db
      .update(staffMembers)
      .set({ role: 'lecture_seule' })
      .where(eq(staffMembers.id, admin.staff.id));
    await t.ctx.sessions.invalidate({ staffId: admin.staff.id });
    expect((await write()).statusCode).toBe(403);

    // Deactivated: signed out on the next request.
    await t.ctx.db.update(staffMembers).set({ active: false }).where(eq(staffMembers.id, admin.staff.id));
    await t.ctx.sessions.invalidate({ staffId: admin.staff.id });
    expect(await sessionStatus(admin)).toBe(401);
    expect(await sessionStatus(colleague)).toBe(200);
  });

  it('ends the firm’s other cached sessions when the firm changes its identity provider', async () => {
    const firm = await createFirm(t.ctx.db);
    const admin = await signInAsStaff(t, firm.id);
    const colleague = await signInAsStaff(t, firm.id, 'collaborateur');
    const client = await signInAsClient(t, firm.id);
    const outsider = await signInAsStaff(t, (await createFirm(t.ctx.db)).id);
    for (const who of [admin, colleague, client, outsider]) expect(await sessionStatus(who)).toBe(200);
    const res = await call(admin, 'PUT', '/api/firm/identity-provider', {
      kind: 'oidc',
      issuer: 'https://idp.example/realms/cabinet',
      clientId: 'passerelle',
      clientSecret: 's3cret',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await sessionStatus(colleague)).toBe(401);
    expect(await sessionStatus(client)).toBe(401);
    expect(await sessionStatus(admin)).toBe(200);
    expect(await sessionStatus(outsider)).toBe(200);
  });

  it('keeps re-deriving a client’s access on every request: a revocation applies at once', async () => {
    const firm = await createFirm(t.ctx.db);
    const file = await createFile(t.ctx.db, firm.id);
    const client = await clientWithStart(t, firm.id, file.id);
    const open = () => call(client, 'GET', `/api/client/files/${file.id}`);
    expect((await open()).statusCode).toBe(200);
    expect((await open()).statusCode).toBe(200);
    await t.ctx.db.delete(contactFiles).where(eq(contactFiles.contactId, client.contact.id));
    expect((await open()).statusCode).toBe(404);
    expect(await sessionStatus(client)).toBe(200);
  });

  it('bounds what a change behind the application’s back leaves stale to the cache TTL', async () => {
    let now = Date.now();
    const service = await otherInstance({ now: () => now });
    const firm = await createFirm(t.ctx.db);
    const { staff, user } = await createStaff(t.ctx.db, firm.id);
    const { token } = await service.start({
      userId: user.id,
      firmId: firm.id,
      kind: 'staff',
      principalId: staff.id,
    });
    expect((await service.load(token))?.actor).toMatchObject({ type: 'staff', staffId: staff.id });
    await t.ctx.db.update(staffMembers).set({ active: false }).where(eq(staffMembers.id, staff.id));
    expect(await service.load(token)).not.toBeNull();
    now += SESSION_CACHE_TTL_MS + 1;
    expect(await service.load(token)).toBeNull();
  });
});

describe('several instances on one database', () => {
  it('a session signed out on one instance is dropped from the others’ caches', async () => {
    const [a, b] = [await otherInstance(), await otherInstance()];
    const firm = await createFirm(t.ctx.db);
    const { staff, user } = await createStaff(t.ctx.db, firm.id);
    const { token } = await a.start({
      userId: user.id,
      firmId: firm.id,
      kind: 'staff',
      principalId: staff.id,
    });
    expect(await b.load(token)).not.toBeNull();
    expect(await a.load(token)).not.toBeNull();
    await a.end(token);
    expect(await a.load(token)).toBeNull();
    await vi.waitFor(async () => expect(await b.load(token)).toBeNull(), { timeout: 10_000 });
  });

  it('a staff change announced on one instance reaches the others', async () => {
    const [a, b] = [await otherInstance(), await otherInstance()];
    const firm = await createFirm(t.ctx.db);
    const { staff, user } = await createStaff(t.ctx.db, firm.id);
    const { token } = await a.start({
      userId: user.id,
      firmId: firm.id,
      kind: 'staff',
      principalId: staff.id,
    });
    expect((await b.load(token))?.actor).toMatchObject({ role: 'administrateur' });
    await t.ctx.db.update(staffMembers).set({ role: 'lecture_seule' }).where(eq(staffMembers.id, staff.id));
    await a.invalidate({ staffId: staff.id });
    await vi.waitFor(
      async () => expect((await b.load(token))?.actor).toMatchObject({ role: 'lecture_seule' }),
      {
        timeout: 10_000,
      },
    );
  });

  if (testDbKind === 'postgres') {
    it('forgets everything and stops caching while its LISTEN connection is down', async () => {
      const b = await otherInstance();
      const firm = await createFirm(t.ctx.db);
      const admin = await signInAsStaff(t, firm.id);
      const token = tokenOf(admin);
      expect(await b.load(token)).not.toBeNull();
      await deleteRowBehindTheBack(admin);
      expect(await b.load(token)).not.toBeNull();
      // Every LISTEN connection of this database drops; each instance reconnects by itself.
      await t.ctx.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`,
      );
      await vi.waitFor(async () => expect(await b.load(token)).toBeNull(), { timeout: 10_000 });
      // Back to normal once reconnected: a fresh session is cached again.
      await vi.waitFor(
        async () => {
          const colleague = await signInAsStaff(t, firm.id, 'collaborateur');
          expect(await b.load(tokenOf(colleague))).not.toBeNull();
          await deleteRowBehindTheBack(colleague);
          expect(await b.load(tokenOf(colleague))).not.toBeNull();
        },
        { timeout: 10_000 },
      );
    });
  }
});
