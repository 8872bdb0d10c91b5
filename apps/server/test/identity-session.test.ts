import type { ErrorBody } from '@passerelle/contracts/errors';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/db/schema/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../src/demo/demo-seed.ts';
import {
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

async function signedInBrowser() {
  const browser = new TestBrowser(s.baseUrl);
  await signInThroughBrowser(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });
  const res = await browser.request('/api/session');
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { browser, csrfToken };
}

describe('session and sign-out', () => {
  it('answers 401 on /api/session without a session', async () => {
    const res = await fetch(`${s.baseUrl}/api/session`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses sign-out without the CSRF token', async () => {
    const { browser } = await signedInBrowser();
    const res = await browser.request('/api/auth/logout', { method: 'POST' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe('CSRF_FAILED');
    const wrong = await browser.request('/api/auth/logout', {
      method: 'POST',
      headers: { 'x-csrf-token': 'faux' },
    });
    expect(wrong.status).toBe(403);
    expect((await browser.request('/api/session')).status).toBe(200);
  });

  it('signs out: ends the session, then the provider session, and the next sign-in asks for the password', async () => {
    const { browser, csrfToken } = await signedInBrowser();
    const res = await browser.request('/api/auth/logout', {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken, origin: s.baseUrl },
    });
    expect(res.status).toBe(200);
    const { redirectTo } = (await res.json()) as { redirectTo: string };
    const endSession = new URL(redirectTo);
    expect(endSession.href.startsWith(`${s.baseUrl}/idp/session/end?`)).toBe(true);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${s.baseUrl}/`);

    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    expect((await browser.request('/api/session')).status).toBe(401);
    const [audit] = await s.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.sign_out'))
      .orderBy(desc(auditEvents.at));
    expect(audit).toMatchObject({ firmId: s.firmId, actorType: 'staff' });

    // The provider's sign-out page confirms by itself (external script, no inline code).
    const logoutPage = await browser.follow(redirectTo);
    expect(logoutPage.status).toBe(200);
    expect(logoutPage.body).toContain('<script src="/idp-assets/logout.js" defer></script>');
    expect(logoutPage.body).toContain('id="logout-confirm"');
    const done = await browser.submit(
      logoutPage,
      { logout: 'yes' },
      { stopAt: (next) => next.pathname === '/' },
    );
    expect(done.stopped).toBe(true);
    expect(done.url).toBe(`${s.baseUrl}/`);

    const next = await signInAtProvider(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });
    expect(next.loginPage.stopped).toBe(false);
    expect(next.loginPage.body).toContain('Se connecter');
  });

  it('carries e-mail claims in the ID token kept for sign-out', async () => {
    await signedInBrowser();
    const { sessions } = await import('../src/db/schema/index.ts');
    const [row] = await s.ctx.db.select().from(sessions).orderBy(desc(sessions.createdAt)).limit(1);
    const payload = JSON.parse(Buffer.from(row?.idToken?.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toMatchObject({
      iss: `${s.baseUrl}/idp`,
      aud: 'passerelle',
      email: DEMO_ADMIN_EMAIL,
      email_verified: true,
      given_name: 'Camille',
      family_name: 'Martin',
    });
  });
});
