import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { allowsInsecureIssuer } from '../src/modules/identity/relying-party/relying-party.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { freePort } from './support/oidc-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  // An external issuer nobody answers at: the embedded provider is not mounted.
  t = await buildTestApp({
    OIDC_ISSUER: `http://127.0.0.1:${await freePort()}/realms/cabinet`,
    OIDC_CLIENT_ID: 'passerelle',
    OIDC_CLIENT_SECRET: 'secret-de-test',
  });
});
afterAll(async () => t?.close());

describe('relying party of an external issuer', () => {
  it('does not mount the embedded provider', async () => {
    const res = await t.app.inject('/idp/.well-known/openid-configuration');
    expect(res.statusCode).toBe(404);
  });

  it('shows a French page when the provider does not answer, and starts no sign-in', async () => {
    const res = await t.app.inject('/auth/login?returnTo=/portefeuille');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('La connexion a échoué');
    expect(res.body).toContain('Le fournisseur d’identité ne répond pas.');
    expect(res.body).toContain('href="/auth/login?returnTo=%2Fportefeuille"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('allows plain http only for a loopback issuer outside production', () => {
    const dev = loadConfig({ NODE_ENV: 'development' });
    const prod = loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example' });
    expect(allowsInsecureIssuer(dev, 'http://localhost:3000/idp')).toBe(true);
    expect(allowsInsecureIssuer(dev, 'http://127.0.0.1:8080/realms/x')).toBe(true);
    expect(allowsInsecureIssuer(dev, 'http://[::1]:8080/')).toBe(true);
    expect(allowsInsecureIssuer(dev, 'http://idp.example/')).toBe(false);
    expect(allowsInsecureIssuer(dev, 'https://idp.example/')).toBe(false);
    expect(allowsInsecureIssuer(prod, 'http://localhost:3000/idp')).toBe(false);
  });
});
