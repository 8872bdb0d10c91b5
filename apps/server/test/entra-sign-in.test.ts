import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  collaborativeServices,
  contactFiles,
  contacts,
  fileOffers,
  staffMembers,
  users,
} from '../src/db/schema/index.ts';
import {
  decideEntraContactBinding,
  type EntraContactCandidate,
  entraIdentityFromClaims,
} from '../src/modules/identity/entra/entra-claims.ts';
import {
  entraIssuer,
  resolveTenantId,
  tenantInputProblem,
} from '../src/modules/identity/entra/entra-tenant.ts';
import { parseRetryAfter } from '../src/modules/identity/entra/graph-client.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createContact, createFile, createFirm, signInAsStaff } from './support/factories.ts';
import { type FakeGraphServer, startFakeGraphServer } from './support/fake-graph-server.ts';

const TENANT = '4f0a5c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const OID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const LOGIN = 'https://login.microsoftonline.com';

describe('Entra claims: users keyed on (tid, oid)', () => {
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: 'pairwise-subject-for-this-app',
    tid: TENANT,
    oid: OID,
    name: 'Jeanne Lefèvre',
    email: 'jeanne@exemple.fr',
    ...extra,
  });

  it('keys the user on issuer {login}/{tid}/v2.0 and subject oid, not on sub', () => {
    const out = entraIdentityFromClaims(claims(), { loginBaseUrl: LOGIN, tenantId: TENANT });
    expect(out).toEqual({
      ok: true,
      identity: {
        issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        subject: OID,
        tenantId: TENANT,
        objectId: OID,
        email: 'jeanne@exemple.fr',
        emailVerified: false,
        displayName: 'Jeanne Lefèvre',
      },
    });
    const upper = entraIdentityFromClaims(claims({ oid: OID.toUpperCase() }), {
      loginBaseUrl: LOGIN,
      tenantId: TENANT,
    });
    expect(upper.ok && upper.identity.subject).toBe(OID);
  });

  it('vouches for the e-mail only with xms_edov', () => {
    const verified = entraIdentityFromClaims(claims({ xms_edov: true }), {
      loginBaseUrl: LOGIN,
      tenantId: TENANT,
    });
    expect(verified.ok && verified.identity.emailVerified).toBe(true);
    const claimed = entraIdentityFromClaims(claims({ email_verified: true }), {
      loginBaseUrl: LOGIN,
      tenantId: TENANT,
    });
    expect(claimed.ok && claimed.identity.emailVerified).toBe(false);
    const noMail = entraIdentityFromClaims(claims({ email: undefined, xms_edov: true }), {
      loginBaseUrl: LOGIN,
      tenantId: TENANT,
    });
    expect(noMail.ok && noMail.identity.emailVerified).toBe(false);
  });

  it('refuses a token without tid/oid, or from another tenant', () => {
    const expected = { loginBaseUrl: LOGIN, tenantId: TENANT };
    expect(entraIdentityFromClaims(claims({ oid: undefined }), expected)).toEqual({
      ok: false,
      reason: 'missing_tid_oid',
    });
    expect(entraIdentityFromClaims(claims({ tid: 'cabinet.fr' }), expected)).toEqual({
      ok: false,
      reason: 'missing_tid_oid',
    });
    expect(entraIdentityFromClaims(claims({ tid: randomUUID() }), expected)).toEqual({
      ok: false,
      reason: 'other_tenant',
    });
  });
});

describe('binding an Entra guest to the contact the firm invited', () => {
  const account = { tenantId: TENANT, objectId: OID, userId: 'user-1', email: 'jeanne@exemple.fr' };
  const contact = (values: Partial<EntraContactCandidate> = {}): EntraContactCandidate => ({
    id: 'contact-1',
    email: 'jeanne@exemple.fr',
    externalId: OID,
    userId: null,
    hasLiveService: true,
    ...values,
  });

  it('binds when oid is the invitedUser.id Graph returned', () => {
    expect(decideEntraContactBinding({ firmTenantId: TENANT, account, contact: contact() })).toEqual({
      kind: 'bind',
      contactId: 'contact-1',
    });
    expect(
      decideEntraContactBinding({
        firmTenantId: TENANT,
        account,
        contact: contact({ externalId: OID.toUpperCase() }),
      }),
    ).toMatchObject({ kind: 'bind' });
  });

  it('never binds on the e-mail alone', () => {
    for (const externalId of [null, randomUUID()]) {
      expect(
        decideEntraContactBinding({ firmTenantId: TENANT, account, contact: contact({ externalId }) }),
      ).toEqual({
        kind: 'refused',
        reason: 'not_invited',
      });
    }
    expect(decideEntraContactBinding({ firmTenantId: TENANT, account, contact: undefined })).toEqual({
      kind: 'refused',
      reason: 'not_invited',
    });
  });

  it('refuses another tenant, even with the right oid', () => {
    expect(decideEntraContactBinding({ firmTenantId: randomUUID(), account, contact: contact() })).toEqual({
      kind: 'refused',
      reason: 'other_tenant',
    });
  });

  it('gives nothing without a live service, even to the invited account', () => {
    for (const userId of [null, 'user-1']) {
      expect(
        decideEntraContactBinding({
          firmTenantId: TENANT,
          account,
          contact: contact({ userId, hasLiveService: false }),
        }),
      ).toEqual({ kind: 'refused', reason: 'no_live_service' });
    }
  });

  it('recognises its own binding, and never takes someone else’s', () => {
    expect(
      decideEntraContactBinding({ firmTenantId: TENANT, account, contact: contact({ userId: 'user-1' }) }),
    ).toEqual({ kind: 'already_bound', contactId: 'contact-1' });
    expect(
      decideEntraContactBinding({ firmTenantId: TENANT, account, contact: contact({ userId: 'user-2' }) }),
    ).toEqual({ kind: 'refused', reason: 'bound_to_someone_else' });
  });
});

describe('tenant input and Retry-After', () => {
  it('accepts one tenant, by GUID or verified domain', () => {
    expect(tenantInputProblem(TENANT)).toBeNull();
    expect(tenantInputProblem('cabinet.fr')).toBeNull();
    expect(tenantInputProblem('cabinet.onmicrosoft.com')).toBeNull();
    expect(tenantInputProblem('common')).toBe('shared_tenant');
    expect(tenantInputProblem('Organizations')).toBe('shared_tenant');
    expect(tenantInputProblem('cabinet')).toBe('invalid');
    expect(tenantInputProblem('https://login.microsoftonline.com/x')).toBe('invalid');
    expect(entraIssuer(LOGIN, TENANT.toUpperCase())).toBe(`${LOGIN}/${TENANT}/v2.0`);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('bientôt', now)).toBeNull();
  });
});

/**
 * The relying party against a local fake of Microsoft's identity platform: discovery of the
 * tenant's v2.0 issuer, authorize with PKCE, code redemption with client_secret_post, an ID
 * token signed with the tenant's key and carrying tid/oid.
 */
describe('signing in at a firm’s Entra tenant', () => {
  let fake: FakeGraphServer;
  let t: TestApp;
  let firm: { id: string; slug: string };

  beforeAll(async () => {
    fake = await startFakeGraphServer();
    t = await buildTestApp({ ENTRA_LOGIN_URL: fake.url, MICROSOFT_GRAPH_URL: fake.url });
    firm = await createFirm(t.ctx.db);
    const admin = await signInAsStaff(t, firm.id);
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/firm/identity-provider',
      headers: admin.headers,
      payload: {
        kind: 'entra',
        tenantId: fake.domain,
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** Our /auth/login, Microsoft's authorize (as the account), then our callback. */
  async function signIn(path: string, account: Parameters<typeof setAccount>[0]) {
    setAccount(account);
    const login = await t.app.inject(path);
    expect(login.statusCode, login.body).toBe(302);
    const authorize = new URL(String(login.headers.location));
    const stateCookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const atMicrosoft = await fetch(authorize, { redirect: 'manual' });
    expect(atMicrosoft.status).toBe(302);
    const callback = new URL(String(atMicrosoft.headers.get('location')));
    const done = await t.app.inject({
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: stateCookie },
    });
    const sessionCookie = [done.headers['set-cookie']]
      .flat()
      .map((c) => String(c).split(';')[0])
      .find((c) => c?.startsWith(`${t.app.sessionCookieName}=`) && !c.endsWith('='));
    return { authorize, done, sessionCookie };
  }
  function setAccount(account: {
    oid: string;
    email?: string;
    name?: string;
    xmsEdov?: boolean;
    tid?: string;
  }) {
    fake.nextAccount = account;
  }
  /** A proposed service on a file whose Start offer is active: what client access needs. */
  async function invitedContact(values: Partial<typeof contacts.$inferInsert>, live = true) {
    const contact = await createContact(t.ctx.db, firm.id, values);
    const file = await createFile(t.ctx.db, firm.id);
    await t.ctx.db.insert(fileOffers).values({ fileId: file.id, offerCode: 'start', firmId: firm.id });
    await t.ctx.db.insert(contactFiles).values({ contactId: contact.id, fileId: file.id, firmId: firm.id });
    await t.ctx.db.insert(collaborativeServices).values({
      firmId: firm.id,
      fileId: file.id,
      contactId: contact.id,
      offerCode: 'start',
      ...(live ? {} : { state: 'revoquee' as const, revokedAt: new Date() }),
    });
    return contact;
  }
  const session = async (cookie: string | undefined) =>
    (await t.app.inject({ url: '/api/session', headers: { cookie: cookie ?? '' } })).json();

  it('sends the invitation’s first sign-in to the tenant with PKCE and prompt=consent', async () => {
    const oid = randomUUID();
    await invitedContact({
      email: 'invitee@exemple.fr',
      externalId: oid,
      invitationState: 'invited',
    });
    const { authorize } = await signIn(`/auth/login?firm=${firm.slug}&first=1&returnTo=%2Fespace`, { oid });
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${fake.url}/${fake.tenantId}/oauth2/v2.0/authorize`,
    );
    const p = authorize.searchParams;
    expect(p.get('client_id')).toBe(fake.clientId);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('redirect_uri')).toBe(`${t.config.publicUrl}/auth/callback`);
    expect(new Set(p.get('scope')?.split(' '))).toEqual(new Set(['openid', 'profile', 'email']));
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('nonce')).toBeTruthy();
    expect(p.get('prompt')).toBe('consent');
    // The secret goes in the token request body (client_secret_post), never in the browser.
    expect(authorize.href).not.toContain(fake.clientSecret);

    const again = await signIn(`/auth/login?firm=${firm.slug}&returnTo=%2Fespace`, { oid });
    expect(again.authorize.searchParams.get('prompt')).toBeNull();
  });

  it('binds the guest whose oid Graph returned, keyed on (tid, oid); later sign-ins use the binding', async () => {
    const oid = randomUUID();
    const contact = await invitedContact({
      email: 'camille.guest@exemple.fr',
      externalId: oid,
      invitationState: 'invited',
    });
    const first = await signIn(`/auth/login?firm=${firm.slug}&first=1&returnTo=%2Fespace`, {
      oid,
      email: 'camille.guest@exemple.fr',
      name: 'Camille Guest',
    });
    expect(first.done.statusCode, first.done.body).toBe(302);
    expect(first.done.headers.location).toBe('/espace');
    expect(await session(first.sessionCookie)).toMatchObject({
      kind: 'client',
      user: { contactId: contact.id, email: 'camille.guest@exemple.fr' },
    });
    const [user] = await t.ctx.db.select().from(users).where(eq(users.subject, oid));
    expect(user).toMatchObject({
      issuer: `${fake.url}/${fake.tenantId}/v2.0`,
      email: 'camille.guest@exemple.fr',
    });
    const [bound] = await t.ctx.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(bound).toMatchObject({ userId: user?.id, invitationState: 'accepted' });
    expect(bound?.firstSignInAt).toBeInstanceOf(Date);

    const second = await signIn(`/auth/login?firm=${firm.slug}&returnTo=%2Fespace`, { oid });
    expect(second.done.statusCode).toBe(302);
    expect((await session(second.sessionCookie)).user.contactId).toBe(contact.id);
    const signIns = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.sign_in'), eq(auditEvents.targetId, contact.id)));
    expect(signIns.map((a) => a.details.boundAtThisSignIn).sort()).toEqual([false, true]);
  });

  it('does not bind on the e-mail alone: same address, another oid, no access', async () => {
    const contact = await invitedContact({
      email: 'homonyme@exemple.fr',
      externalId: randomUUID(),
      invitationState: 'invited',
    });
    const uninvited = await invitedContact({ email: 'jamais.invite@exemple.fr' });
    for (const email of ['homonyme@exemple.fr', 'jamais.invite@exemple.fr']) {
      const attempt = await signIn(`/auth/login?firm=${firm.slug}&first=1`, {
        oid: randomUUID(),
        email,
        xmsEdov: true,
      });
      expect(attempt.done.statusCode).toBe(403);
      expect(attempt.done.body).toContain('Aucun accès');
      expect(attempt.sessionCookie).toBeUndefined();
    }
    for (const id of [contact.id, uninvited.id]) {
      const [row] = await t.ctx.db.select().from(contacts).where(eq(contacts.id, id));
      expect(row?.userId).toBeNull();
    }
  });

  it('gives no access to the invited guest once the service is revoked', async () => {
    const oid = randomUUID();
    const contact = await invitedContact({ email: 'revoque@exemple.fr', externalId: oid }, false);
    const attempt = await signIn(`/auth/login?firm=${firm.slug}&first=1`, { oid });
    expect(attempt.done.statusCode).toBe(403);
    const [row] = await t.ctx.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(row?.userId).toBeNull();
  });

  it('refuses an ID token whose tid is another tenant', async () => {
    const oid = randomUUID();
    const contact = await invitedContact({
      email: 'autre.tenant@exemple.fr',
      externalId: oid,
    });
    const attempt = await signIn(`/auth/login?firm=${firm.slug}`, { oid, tid: randomUUID() });
    expect(attempt.done.statusCode).toBe(400);
    expect(attempt.done.body).toContain('La connexion a échoué');
    expect(attempt.sessionCookie).toBeUndefined();
    const [row] = await t.ctx.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(row?.userId).toBeNull();
    const failures = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.sign_in_failed'));
    expect(failures.some((a) => a.details.entra === 'other_tenant')).toBe(true);
  });

  it('binds a staff member of the tenant by e-mail only when Microsoft verified it (xms_edov)', async () => {
    const [staff] = await t.ctx.db
      .insert(staffMembers)
      .values({
        firmId: firm.id,
        email: 'associe@cabinet-exemple.fr',
        firstName: 'Anne',
        lastName: 'Associée',
        role: 'administrateur',
      })
      .returning();
    const oid = randomUUID();
    const unverified = await signIn(`/auth/login?firm=${firm.slug}`, {
      oid,
      email: 'associe@cabinet-exemple.fr',
    });
    expect(unverified.done.statusCode).toBe(403);
    const verified = await signIn(`/auth/login?firm=${firm.slug}`, {
      oid,
      email: 'associe@cabinet-exemple.fr',
      xmsEdov: true,
    });
    expect(verified.done.statusCode, verified.done.body).toBe(302);
    expect(verified.done.headers.location).toBe('/');
    expect(await session(verified.sessionCookie)).toMatchObject({
      kind: 'staff',
      user: { staffId: staff?.id },
    });
  });

  it('keeps firms without their own provider on the deployment’s', async () => {
    // The embedded provider is the deployment's here; this test server does not listen, so its
    // discovery fails (503): what matters is that Microsoft is never asked.
    const plain = await createFirm(t.ctx.db);
    for (const path of [`/auth/login?firm=${plain.slug}`, '/auth/login?firm=inconnu', '/auth/login']) {
      const res = await t.app.inject(path);
      expect(res.statusCode, path).toBe(503);
    }
    expect(fake.authorizeRequests).toHaveLength(0);
  });

  it('resolves a verified domain to the tenant GUID through its OpenID configuration', async () => {
    expect(await resolveTenantId(fake.url, fake.domain)).toEqual({ ok: true, tenantId: fake.tenantId });
    expect(await resolveTenantId(fake.url, 'inconnu.example.com')).toEqual({
      ok: false,
      reason: 'unknown_tenant',
    });
    expect(await resolveTenantId(fake.url, fake.brokenDomain)).toEqual({ ok: false, reason: 'unreachable' });
  });
});
