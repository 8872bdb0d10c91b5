import type { SessionResponse } from '@passerelle/contracts/session';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, firms, identityProviders, staffMembers, users } from '../src/db/schema/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../src/demo/demo-seed.ts';
import { safeReturnTo } from '../src/modules/identity/auth.service.ts';
import {
  createIdpAccount,
  type OidcTestServer,
  signInAtProvider,
  signInThroughBrowser,
  startOidcServer,
  TestBrowser,
} from './support/oidc-helpers.ts';

let s: OidcTestServer;
beforeAll(async () => {
  s = await startOidcServer();
});
afterAll(async () => s?.close());

const staffByEmail = async (email: string) => {
  const [row] = await s.ctx.db
    .select()
    .from(staffMembers)
    .where(sql`lower(${staffMembers.email}) = lower(${email})`);
  return row;
};

const lastAudit = async (action: string) => {
  const [row] = await s.ctx.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  return row;
};

describe('sign-in through the embedded provider', () => {
  it('walks sign-in, consent and callback to a staff session, and binds the staff member', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { consentAsked, landing, callbackUrl } = await signInThroughBrowser(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
      returnTo: '/portefeuille?tri=nom',
    });
    expect(consentAsked).toBe(true);
    expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();
    expect(landing.status).toBe(302);
    expect(landing.url).toBe(`${s.baseUrl}/portefeuille?tri=nom`);

    const res = await browser.request('/api/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as SessionResponse;
    expect(body).toMatchObject({
      kind: 'staff',
      firm: { id: s.firmId, name: 'Cabinet Démo', slug: 'cabinet-demo' },
      user: { email: DEMO_ADMIN_EMAIL, firstName: 'Camille', lastName: 'Martin', role: 'administrateur' },
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const staff = await staffByEmail(DEMO_ADMIN_EMAIL);
    expect(staff?.userId).toBeTruthy();
    const [user] = await s.ctx.db
      .select()
      .from(users)
      .where(eq(users.id, staff?.userId ?? ''));
    expect(user).toMatchObject({
      issuer: `${s.baseUrl}/idp`,
      email: DEMO_ADMIN_EMAIL,
      displayName: 'Camille Martin',
    });
    expect(user?.lastSignInAt).toBeInstanceOf(Date);

    const audit = await lastAudit('auth.sign_in');
    expect(audit).toMatchObject({ firmId: s.firmId, actorType: 'staff', actorId: staff?.id });
  });

  it('remembers consent: a later sign-in in another browser asks only for the password', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { consentAsked } = await signInThroughBrowser(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    expect(consentAsked).toBe(false);
    expect((await browser.request('/api/session')).status).toBe(200);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, with a new id at each sign-in', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const first = await signInAtProvider(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });
    const res = await browser.request(first.callbackUrl);
    expect(res.status).toBe(302);
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${s.app.sessionCookieName}=`));
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect(line).toMatch(/;\s*Path=\//i);
    const firstToken = browser.cookie(s.app.sessionCookieName)?.value;

    // Signing in again rotates the session: a new token, and the old one no longer works.
    const again = await signInAtProvider(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });
    await browser.request(again.callbackUrl);
    const secondToken = browser.cookie(s.app.sessionCookieName)?.value;
    expect(secondToken).toBeTruthy();
    expect(secondToken).not.toBe(firstToken);
    const stale = await fetch(`${s.baseUrl}/api/session`, {
      headers: { cookie: `${s.app.sessionCookieName}=${firstToken}` },
    });
    expect(stale.status).toBe(401);
  });

  it('keeps only same-site paths as returnTo', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { landing } = await signInThroughBrowser(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
      returnTo: '//evil.example/steal',
    });
    expect(landing.url).toBe(`${s.baseUrl}/`);
    const base = 'https://passerelle.example';
    expect(safeReturnTo('/espace/ged?x=1#top', base)).toBe('/espace/ged?x=1#top');
    for (const bad of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'espace',
      '',
      undefined,
    ]) {
      expect(safeReturnTo(bad, base), String(bad)).toBe('/');
    }
  });

  it('answers "Aucun accès" to a verified account that is no staff member anywhere', async () => {
    await createIdpAccount(s, { email: 'inconnu@ailleurs.test', emailVerified: true });
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: 'inconnu@ailleurs.test',
      password: DEMO_PASSWORD,
    });
    const res = await browser.request(callbackUrl);
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('Aucun accès');
    expect(page).toContain('inconnu@ailleurs.test');
    // Switching account goes through the provider's sign-out.
    expect(page).toMatch(/href="[^"]*\/idp\/session\/end\?/);
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    expect((await browser.request('/api/session')).status).toBe(401);
    expect((await lastAudit('auth.sign_in_failed'))?.details).toMatchObject({ reason: 'no_access' });
  });

  it('does not bind a staff member when the provider does not assert a verified e-mail', async () => {
    const email = 'non.verifie@cabinet-demo.test';
    await s.ctx.db
      .insert(staffMembers)
      .values({ firmId: s.firmId, email, firstName: 'Noé', lastName: 'Verif', role: 'collaborateur' });
    await createIdpAccount(s, { email, emailVerified: false, firmId: s.firmId });
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, { email, password: DEMO_PASSWORD });
    const res = await browser.request(callbackUrl);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('n’a pas confirmé que cette adresse e-mail vous appartient');
    expect((await staffByEmail(email))?.userId).toBeNull();
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
  });

  it('does not bind a staff member of a firm that signs in at another issuer', async () => {
    const [other] = await s.ctx.db
      .insert(firms)
      .values({ slug: 'cabinet-entra', name: 'Cabinet Entra' })
      .returning();
    if (!other) throw new Error('firm not created');
    await s.ctx.db
      .insert(identityProviders)
      .values({ firmId: other.id, kind: 'oidc', issuer: 'https://login.example/tenant' });
    const email = 'externe@cabinet-entra.test';
    await s.ctx.db
      .insert(staffMembers)
      .values({ firmId: other.id, email, firstName: 'Eva', lastName: 'Externe', role: 'administrateur' });
    await createIdpAccount(s, { email, emailVerified: true });
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, { email, password: DEMO_PASSWORD });
    expect((await browser.request(callbackUrl)).status).toBe(403);
    expect((await staffByEmail(email))?.userId).toBeNull();
  });

  it('recognises a bound person by (issuer, sub) alone on later sign-ins', async () => {
    const email = 'julien.bernard@cabinet-demo.test';
    const first = await signInThroughBrowser(new TestBrowser(s.baseUrl), { email, password: DEMO_PASSWORD });
    expect(first.landing.status).toBe(302);
    const staff = await staffByEmail(email);
    expect(staff?.userId).toBeTruthy();

    // The firm changes the staff e-mail: the binding does not depend on it any more.
    await s.ctx.db
      .update(staffMembers)
      .set({ email: 'j.bernard@cabinet-demo.test' })
      .where(and(eq(staffMembers.id, staff?.id ?? '')));
    const browser = new TestBrowser(s.baseUrl);
    await signInThroughBrowser(browser, { email, password: DEMO_PASSWORD });
    const res = await browser.request('/api/session');
    expect(res.status).toBe(200);
    expect(((await res.json()) as SessionResponse).user).toMatchObject({
      staffId: staff?.id,
      email: 'j.bernard@cabinet-demo.test',
    });
  });
});
