import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  contacts,
  entraInvitationJobs,
  identityProviders,
  sessions,
  staffMembers,
} from '../src/db/schema/index.ts';
import { queueGuestInvitation } from '../src/modules/identity/entra/guest-invitation.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createContact, createFirm, signInAsClient, signInAsStaff } from './support/factories.ts';
import { type FakeGraphServer, startFakeGraphServer } from './support/fake-graph-server.ts';

/** `GET/PUT /api/firm/identity-provider`: administrators only, the secret write-only. */
let fake: FakeGraphServer;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeGraphServer();
  t = await buildTestApp({ ENTRA_LOGIN_URL: fake.url, MICROSOFT_GRAPH_URL: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

type Who = { headers: Record<string, string> };
const get = (who: Who | null) =>
  t.app.inject({ method: 'GET', url: '/api/firm/identity-provider', headers: who?.headers ?? {} });
const put = (who: Who | null, payload: object) =>
  t.app.inject({ method: 'PUT', url: '/api/firm/identity-provider', headers: who?.headers ?? {}, payload });

const entraInput = () => ({
  kind: 'entra',
  tenantId: fake.tenantId,
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
});

async function newFirm() {
  const firm = await createFirm(t.ctx.db);
  return { firm, admin: await signInAsStaff(t, firm.id) };
}

const fieldsOf = (res: {
  json(): { error: { code: string; fields?: { path: string; message: string }[] } };
}) => {
  const body = res.json();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  return Object.fromEntries((body.error.fields ?? []).map((f) => [f.path, f.message]));
};

describe('who may read and change the identity provider', () => {
  it('answers administrators only', async () => {
    const { firm } = await newFirm();
    const anonymous = await get(null);
    expect(anonymous.statusCode).toBe(401);
    for (const role of ['collaborateur', 'lecture_seule'] as const) {
      const staff = await signInAsStaff(t, firm.id, role);
      expect((await get(staff)).statusCode).toBe(403);
      expect((await put(staff, entraInput())).statusCode).toBe(403);
    }
    const client = await signInAsClient(t, firm.id);
    expect((await get(client)).statusCode).toBe(403);
    expect((await put(client, entraInput())).statusCode).toBe(403);
    expect(
      await t.ctx.db.select().from(identityProviders).where(eq(identityProviders.firmId, firm.id)),
    ).toHaveLength(0);
  });

  it('shows the deployment’s provider while the firm has none of its own', async () => {
    const { firm, admin } = await newFirm();
    const res = await get(admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      kind: 'embedded',
      source: 'deployment',
      issuer: `${t.config.publicUrl}/idp`,
      clientId: null,
      clientSecret: null,
      tenantId: null,
      redirectUri: `${t.config.publicUrl}/auth/callback`,
      signInUrl: `${t.config.publicUrl}/auth/login?firm=${firm.slug}`,
    });
  });
});

describe('a Microsoft Entra tenant', () => {
  it('is saved with its v2.0 issuer; the secret is stored but never returned, nor audited', async () => {
    const { firm, admin } = await newFirm();
    const res = await put(admin, entraInput());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(fake.clientSecret);
    expect(res.json()).toMatchObject({
      kind: 'entra',
      source: 'firm',
      tenantId: fake.tenantId,
      clientId: fake.clientId,
      clientSecret: 'défini',
      issuer: `${fake.url}/${fake.tenantId}/v2.0`,
    });
    const read = await get(admin);
    expect(read.body).not.toContain(fake.clientSecret);
    expect(read.json().clientSecret).toBe('défini');
    const [row] = await t.ctx.db
      .select()
      .from(identityProviders)
      .where(eq(identityProviders.firmId, firm.id));
    expect(row?.clientSecret).toBe(fake.clientSecret);
    const audits = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.firmId, firm.id), eq(auditEvents.action, 'identity_provider.updated')));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0])).not.toContain(fake.clientSecret);
    expect(audits[0]?.details).toMatchObject({ kind: 'entra', previousKind: null, secretReplaced: true });
  });

  it('accepts a verified domain and stores the tenant GUID Microsoft names for it', async () => {
    const { admin } = await newFirm();
    const res = await put(admin, { ...entraInput(), tenantId: fake.domain });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().tenantId).toBe(fake.tenantId);
    expect(res.json().issuer).toBe(`${fake.url}/${fake.tenantId}/v2.0`);
  });

  it('refuses what is not one tenant, and a tenant Microsoft does not know', async () => {
    const { firm, admin } = await newFirm();
    const cases: [string, RegExp][] = [
      ['common', /common.*organizations.*consumers/],
      ['organizations', /n’importe quelle organisation/],
      ['pas un tenant', /GUID .* ou un domaine vérifié/],
      ['1234-5678', /GUID/],
      ['', /obligatoire/],
    ];
    for (const [tenantId, message] of cases) {
      const res = await put(admin, { ...entraInput(), tenantId });
      expect(res.statusCode, tenantId).toBe(400);
      expect(fieldsOf(res).tenantId, tenantId).toMatch(message);
    }
    const unknown = await put(admin, { ...entraInput(), tenantId: 'inconnu.example.com' });
    expect(unknown.statusCode).toBe(400);
    expect(fieldsOf(unknown).tenantId).toMatch(/ne connaît pas ce tenant/);
    const down = await put(admin, { ...entraInput(), tenantId: fake.brokenDomain });
    expect(down.statusCode).toBe(503);
    expect(down.json().error.message).toMatch(/ne répond pas/);
    expect(
      await t.ctx.db.select().from(identityProviders).where(eq(identityProviders.firmId, firm.id)),
    ).toHaveLength(0);
  });

  it('refuses an application id that is not a GUID, unknown fields, and an unknown kind', async () => {
    const { admin } = await newFirm();
    const badClient = await put(admin, { ...entraInput(), clientId: 'passerelle' });
    expect(fieldsOf(badClient).clientId).toMatch(/GUID/);
    const extra = await put(admin, { ...entraInput(), issuer: 'https://evil.example' });
    expect(extra.statusCode).toBe(400);
    const kind = await put(admin, { kind: 'saml' });
    expect(kind.statusCode).toBe(400);
  });

  it('requires the secret for a new registration, and keeps the stored one when it is omitted', async () => {
    const { firm, admin } = await newFirm();
    const { clientSecret: _omitted, ...withoutSecret } = entraInput();
    expect(fieldsOf(await put(admin, withoutSecret)).clientSecret).toMatch(/Saisissez le secret client/);
    expect((await put(admin, entraInput())).statusCode).toBe(200);
    const kept = await put(admin, { ...withoutSecret, tenantId: fake.domain });
    expect(kept.statusCode, kept.body).toBe(200);
    const [row] = await t.ctx.db
      .select()
      .from(identityProviders)
      .where(eq(identityProviders.firmId, firm.id));
    expect(row?.clientSecret).toBe(fake.clientSecret);
    // Another application: its secret must be given.
    const other = await put(admin, { ...withoutSecret, clientId: crypto.randomUUID() });
    expect(fieldsOf(other).clientSecret).toMatch(/Saisissez le secret client/);
    // Replaced: the new one is stored, still never shown.
    const replaced = await put(admin, { ...entraInput(), clientSecret: 'nouveau-secret' });
    expect(replaced.body).not.toContain('nouveau-secret');
    const [after] = await t.ctx.db
      .select()
      .from(identityProviders)
      .where(eq(identityProviders.firmId, firm.id));
    expect(after?.clientSecret).toBe('nouveau-secret');
  });
});

describe('an OpenID Connect issuer, or back to the embedded provider', () => {
  it('validates the issuer URL', async () => {
    const { admin } = await newFirm();
    const base = { kind: 'oidc', clientId: 'passerelle', clientSecret: 's3cret' };
    const cases: [string, RegExp][] = [
      ['pas une url', /URL https/],
      ['ftp://idp.example/realms/x', /URL https/],
      ['http://idp.example/realms/x', /https/],
      ['https://idp.example/realms/x?tenant=1', /ni paramètres/],
    ];
    for (const [issuer, message] of cases) {
      const res = await put(admin, { ...base, issuer });
      expect(res.statusCode, issuer).toBe(400);
      expect(fieldsOf(res).issuer, issuer).toMatch(message);
    }
    const ok = await put(admin, { ...base, issuer: 'https://idp.example/realms/cabinet' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      kind: 'oidc',
      issuer: 'https://idp.example/realms/cabinet',
      clientSecret: 'défini',
    });
    expect(ok.body).not.toContain('s3cret');
    // Plain http only for a loopback issuer outside production.
    expect((await put(admin, { ...base, issuer: 'http://127.0.0.1:8080/realms/x' })).statusCode).toBe(200);
  });

  it('switching directory unbinds the people of the old one and ends the firm’s other sessions', async () => {
    const { firm, admin } = await newFirm();
    expect((await put(admin, entraInput())).statusCode).toBe(200);
    const colleague = await signInAsStaff(t, firm.id, 'collaborateur');
    const client = await signInAsClient(t, firm.id);
    const invited = await createContact(t.ctx.db, firm.id, {
      externalId: 'ancien-oid',
      invitationState: 'invited',
    });
    const job = await queueGuestInvitation(t.ctx.db, {
      publicUrl: t.config.publicUrl,
      firm,
      contact: invited,
      requestedBy: admin.staff.id,
    });

    const res = await put(admin, { kind: 'embedded' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'embedded', source: 'firm', clientSecret: null });

    const staff = await t.ctx.db.select().from(staffMembers).where(eq(staffMembers.firmId, firm.id));
    expect(staff.every((s) => s.userId === null)).toBe(true);
    const people = await t.ctx.db.select().from(contacts).where(eq(contacts.firmId, firm.id));
    for (const c of people)
      expect(c).toMatchObject({ userId: null, externalId: null, invitationState: 'none' });
    const [jobRow] = await t.ctx.db
      .select()
      .from(entraInvitationJobs)
      .where(eq(entraInvitationJobs.id, job?.id ?? ''));
    expect(jobRow?.status).toBe('failed');
    // The administrator who did it keeps their session; everybody else of the firm signs in again.
    expect((await get(admin)).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/session', headers: colleague.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/session', headers: client.headers })).statusCode).toBe(401);
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.firmId, firm.id))).toHaveLength(1);
    const [audit] = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.firmId, firm.id), eq(auditEvents.action, 'identity_provider.updated')))
      .orderBy(auditEvents.at)
      .offset(1);
    expect(audit?.details).toMatchObject({
      kind: 'embedded',
      previousKind: 'entra',
      bindingsReset: { staffUnbound: 1, contactsReset: 2, sessionsEnded: 2 },
    });
  });

  it('saving the same issuer again (a new secret) unbinds nobody', async () => {
    const { firm, admin } = await newFirm();
    expect((await put(admin, entraInput())).statusCode).toBe(200);
    const colleague = await signInAsStaff(t, firm.id, 'collaborateur');
    expect((await put(admin, { ...entraInput(), clientSecret: 'autre-secret' })).statusCode).toBe(200);
    const [row] = await t.ctx.db.select().from(staffMembers).where(eq(staffMembers.id, colleague.staff.id));
    expect(row?.userId).not.toBeNull();
    expect((await t.app.inject({ url: '/api/session', headers: colleague.headers })).statusCode).toBe(200);
  });
});
