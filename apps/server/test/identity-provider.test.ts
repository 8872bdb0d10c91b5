import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const kids = async (server: OidcTestServer) => {
  const res = await fetch(`${server.baseUrl}/idp/jwks`);
  expect(res.status).toBe(200);
  const { keys } = (await res.json()) as { keys: { kid: string; alg: string; d?: string }[] };
  for (const key of keys) expect(key.d, 'no private part in the JWKS').toBeUndefined();
  return keys.map((k) => `${k.alg}:${k.kid}`).sort();
};

describe('embedded OpenID provider', () => {
  it('publishes its metadata under the mount path', async () => {
    const res = await fetch(`${s.baseUrl}/idp/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      issuer: `${s.baseUrl}/idp`,
      authorization_endpoint: `${s.baseUrl}/idp/auth`,
      token_endpoint: `${s.baseUrl}/idp/token`,
      jwks_uri: `${s.baseUrl}/idp/jwks`,
      end_session_endpoint: `${s.baseUrl}/idp/session/end`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['email', 'email_verified', 'name']));
  });

  it('requires PKCE', async () => {
    const url = new URL(`${s.baseUrl}/idp/auth`);
    url.search = new URLSearchParams({
      client_id: 'passerelle',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${s.baseUrl}/auth/callback`,
      state: 'abc',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.pathname).toBe('/auth/callback');
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('renders its own errors as a French page', async () => {
    const res = await fetch(`${s.baseUrl}/idp/auth?client_id=inconnu&response_type=code&scope=openid`);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Connexion impossible');
    expect(page).toContain('invalid_client');
  });

  it('shows a clear page for an interaction this browser does not hold', async () => {
    const res = await fetch(`${s.baseUrl}/idp/interaction/AbCdEfGhIjKlMnOpQrStU`);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Demande expirée');
    expect(page).toContain('Recommencer la connexion');
  });

  it('serves its stylesheet and sign-out script, and its pages use no inline script', async () => {
    const css = await fetch(`${s.baseUrl}/idp-assets/identity.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const js = await fetch(`${s.baseUrl}/idp-assets/logout.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${s.baseUrl}/idp-assets/nothing.css`)).status).toBe(404);

    const login = await new TestBrowser(s.baseUrl).follow('/auth/login');
    expect(login.url).toMatch(/\/idp\/interaction\/[A-Za-z0-9_-]+$/);
    expect(login.body).toContain('<html lang="fr">');
    expect(login.body).toContain('<link rel="stylesheet" href="/idp-assets/identity.css">');
    expect(login.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(login.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(login.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('rate-limits sign-in attempts per address and account, with a French page', async () => {
    const browser = new TestBrowser(s.baseUrl);
    const page = await browser.follow('/auth/login');
    const email = 'julien.bernard@cabinet-demo.test';
    for (let i = 0; i < 10; i++) {
      const attempt = await browser.submit(page, { email, password: `mauvais-${i}` });
      expect(attempt.status, `attempt ${i + 1}`).toBe(400);
    }
    const limited = await browser.submit(page, { email, password: DEMO_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(limited.body).toContain('Trop de tentatives');
    expect(limited.body).toContain('<html lang="fr">');
    // Another account from the same address is not locked out by it.
    const other = await browser.submit(page, {
      email: 'sophie.durand@cabinet-demo.test',
      password: 'mauvais',
    });
    expect(other.status).toBe(400);
  });

  it('keeps its signing keys, cookie keys and sessions across a restart', async () => {
    const before = await kids(s);
    expect(before).toHaveLength(2);
    expect(before.map((k) => k.split(':')[0])).toEqual(['ES256', 'RS256']);
    const browser = new TestBrowser(s.baseUrl);
    await signInThroughBrowser(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });

    s = await s.restart();
    expect(await kids(s)).toEqual(before);
    // The provider session (signed cookie, stored row) and the consent survived: no page shown.
    const again = await signInAtProvider(browser, { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD });
    expect(again.loginPage.stopped).toBe(true);
    expect((await browser.request(again.callbackUrl)).status).toBe(302);
    expect((await browser.request('/api/session')).status).toBe(200);
  });
});
