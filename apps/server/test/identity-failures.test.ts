import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSecrets, auditEvents, authRequests } from '../src/db/schema/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../src/demo/demo-seed.ts';
import {
  type OidcTestServer,
  signInAtProvider,
  startOidcServer,
  TestBrowser,
} from './support/oidc-helpers.ts';

let s: OidcTestServer;
beforeAll(async () => {
  s = await startOidcServer();
});
afterAll(async () => s?.close());

const AUTH_COOKIE = 'passerelle_auth';

const lastFailure = async () => {
  const [row] = await s.ctx.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, 'auth.sign_in_failed'))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  return row?.details;
};

/** A callback that must be refused with the clear French page, and leave no session. */
async function expectRefused(browser: TestBrowser, url: string, reason: string) {
  const res = await browser.request(url);
  expect(res.status).toBe(400);
  const page = await res.text();
  expect(page).toContain('<html lang="fr">');
  expect(page).toContain('La connexion a échoué');
  expect(page).toContain('Recommencer la connexion');
  expect(page).not.toMatch(/at \S+ \(|Error:/);
  expect(res.headers.getSetCookie().some((c) => c.startsWith(`${s.app.sessionCookieName}=`))).toBe(false);
  expect(await lastFailure()).toMatchObject({ reason });
  return page;
}

describe('sign-in failures', () => {
  it('refuses a wrong password with a generic message, for known and unknown accounts alike', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const loginPage = await browser.follow('/auth/login');
    expect(loginPage.body).toContain('<label for="email">E-mail</label>');
    expect(loginPage.body).toContain('<label for="password">Mot de passe</label>');

    const wrong = await browser.submit(loginPage, { email: DEMO_ADMIN_EMAIL, password: 'pas-le-bon' });
    const unknown = await browser.submit(loginPage, {
      email: 'personne@nulle-part.test',
      password: 'pas-le-bon',
    });
    for (const page of [wrong, unknown]) {
      expect(page.status).toBe(400);
      expect(page.body).toContain('E-mail ou mot de passe incorrect.');
      expect(page.body).toContain('role="alert"');
    }
    // Same page but for the e-mail typed back: nothing tells whether the account exists.
    expect(wrong.body.replace(DEMO_ADMIN_EMAIL, '')).toBe(
      unknown.body.replace('personne@nulle-part.test', ''),
    );
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    expect((await browser.request('/api/session')).status).toBe(401);
  });

  it('refuses a tampered state', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', 'etat-forge-par-un-attaquant');
    await expectRefused(browser, tampered.href, 'state_mismatch');
  });

  it('refuses a callback without the browser binding (state cookie, hence PKCE verifier, gone)', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const index = browser.cookies.findIndex((c) => c.name === AUTH_COOKIE);
    expect(index).toBeGreaterThanOrEqual(0);
    browser.cookies.splice(index, 1);
    await expectRefused(browser, callbackUrl, 'missing_browser_binding');
  });

  it('refuses a callback whose pending request is gone from the server', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const state = new URL(callbackUrl).searchParams.get('state') ?? '';
    await s.ctx.db.delete(authRequests).where(eq(authRequests.state, state));
    await expectRefused(browser, callbackUrl, 'unknown_request');
  });

  it('refuses a replayed authorization code, at the callback and at the token endpoint', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const url = new URL(callbackUrl);
    const state = url.searchParams.get('state') ?? '';
    const code = url.searchParams.get('code') ?? '';
    const [pending] = await s.ctx.db.select().from(authRequests).where(eq(authRequests.state, state));
    const bindingCookie = browser.cookie(AUTH_COOKIE);
    expect(pending && bindingCookie).toBeTruthy();

    expect((await browser.request(callbackUrl)).status).toBe(302);

    // Same code, same state, same browser binding: the pending request was single use.
    const attacker = new TestBrowser(s.baseUrl);
    attacker.cookies.push({ ...(bindingCookie as NonNullable<typeof bindingCookie>) });
    await expectRefused(attacker, callbackUrl, 'unknown_request');

    // And the provider itself refuses a second exchange of the code.
    const [secret] = await s.ctx.db.select().from(appSecrets).where(eq(appSecrets.name, 'idp.client_secret'));
    const res = await fetch(`${s.baseUrl}/idp/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`passerelle:${secret?.value as string}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${s.baseUrl}/auth/callback`,
        code_verifier: pending?.codeVerifier ?? '',
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses an ID token whose nonce is not the one of the request', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const state = new URL(callbackUrl).searchParams.get('state') ?? '';
    await s.ctx.db.update(authRequests).set({ nonce: 'un-autre-nonce' }).where(eq(authRequests.state, state));
    await expectRefused(browser, callbackUrl, 'invalid_response');
  });

  it('refuses an expired pending request', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl } = await signInAtProvider(browser, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    const state = new URL(callbackUrl).searchParams.get('state') ?? '';
    await s.ctx.db
      .update(authRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authRequests.state, state));
    await expectRefused(browser, callbackUrl, 'expired_request');
  });

  it('shows a clear page when the person answers Non to the consent', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const { callbackUrl, consentAsked } = await signInAtProvider(browser, {
      email: 'sophie.durand@cabinet-demo.test',
      password: DEMO_PASSWORD,
      decision: 'non',
    });
    expect(consentAsked).toBe(true);
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    const page = await expectRefused(browser, callbackUrl, 'access_denied');
    expect(page).toContain('Vous avez refusé que Passerelle utilise votre compte.');
    const [denied] = await s.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'idp.consent_denied'));
    expect(denied).toMatchObject({ firmId: s.firmId, targetType: 'idp_account' });
  });
});
