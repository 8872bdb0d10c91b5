import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  collaborativeServices,
  contactFiles,
  contacts,
  fileOffers,
  idpStore,
} from '../src/db/schema/index.ts';
import { createContact, createFile } from './support/factories.ts';
import {
  createIdpAccount,
  freePort,
  isCallback,
  type OidcTestServer,
  startOidcServer,
  TestBrowser,
} from './support/oidc-helpers.ts';

/**
 * Tokens meant for another application are refused. The embedded provider never mints one for
 * Passerelle's client, so two real situations are tested: a code obtained for another client
 * registered at the embedded provider, and an ID token whose audience is another client,
 * served by a small standards-shaped OpenID provider written here (a misbehaving or hostile
 * issuer), with a control sign-in through the same provider that succeeds.
 */

const PASSWORD = 'Une-phrase-assez-longue-2026';

async function lastFailure(server: OidcTestServer) {
  const [row] = await server.ctx.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, 'auth.sign_in_failed'))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  return row?.details;
}

/** A contact of the firm with Start proposed on a new file (straight in the data). */
async function clientWithStart(server: OidcTestServer, email: string) {
  const db = server.ctx.db;
  const file = await createFile(db, server.firmId);
  const contact = await createContact(db, server.firmId, { email });
  await db.insert(fileOffers).values({ fileId: file.id, firmId: server.firmId, offerCode: 'start' });
  await db.insert(contactFiles).values({ contactId: contact.id, fileId: file.id, firmId: server.firmId });
  await db
    .insert(collaborativeServices)
    .values({ firmId: server.firmId, fileId: file.id, contactId: contact.id, offerCode: 'start' });
  return contact;
}

describe('embedded provider: a code issued to another client', () => {
  let s: OidcTestServer;
  beforeAll(async () => {
    s = await startOidcServer();
    // A second application registered at the directory, with the same redirect URI.
    await s.ctx.db.insert(idpStore).values({
      model: 'Client',
      id: 'autre-application',
      payload: {
        client_id: 'autre-application',
        client_secret: randomBytes(24).toString('base64url'),
        redirect_uris: [`${s.baseUrl}/auth/callback`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    });
  });
  afterAll(async () => s?.close());

  it('is refused at the callback: no session, no binding', async () => {
    const email = 'victime@client.test';
    const contact = await clientWithStart(s, email);
    await createIdpAccount(s, { email, password: PASSWORD });
    const browser = new TestBrowser(s.baseUrl);
    const start = await browser.request('/auth/login?returnTo=%2Fespace');
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('client_id')).toBe('passerelle');
    // Same state, nonce and PKCE challenge, but the request is made for the other application.
    authorize.searchParams.set('client_id', 'autre-application');
    const stopAt = isCallback(s.baseUrl);
    const login = await browser.follow(authorize.href, {}, stopAt);
    const consent = await browser.submit(login, { email, password: PASSWORD }, { stopAt });
    expect(consent.body).toContain('name="decision"');
    const back = await browser.submit(consent, { decision: 'oui' }, { stopAt });
    expect(back.stopped).toBe(true);
    expect(new URL(back.url).searchParams.get('code')).toBeTruthy();

    const res = await browser.request(back.url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('La connexion a échoué');
    expect(await lastFailure(s)).toMatchObject({ reason: 'code_rejected', error: 'invalid_grant' });
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    expect((await s.ctx.db.select().from(contacts).where(eq(contacts.id, contact.id)))[0]?.userId).toBeNull();
  });
});

/** A minimal OpenID provider: discovery, JWKS, authorize (no UI) and token, with a chosen `aud`. */
function fakeProvider(port: number) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  const pending = new Map<string, { nonce: string; challenge: string; clientId: string }>();
  const state = {
    audience: (clientId: string): string | string[] => clientId,
    azp: undefined as string | undefined,
  };
  const b64 = (value: object | Buffer) =>
    (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
  const sign = (claims: object) => {
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64(claims)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('base64url');
      pending.set(code, {
        nonce: url.searchParams.get('nonce') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
        clientId: url.searchParams.get('client_id') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        const grant = pending.get(form.get('code') ?? '');
        pending.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        const basic = Buffer.from(
          (req.headers.authorization ?? '').replace(/^Basic /, ''),
          'base64',
        ).toString();
        if (!grant || challenge !== grant.challenge || !basic.startsWith(`${grant.clientId}:`))
          return json(400, { error: 'invalid_grant' });
        const now = Math.floor(Date.now() / 1000);
        return json(200, {
          access_token: randomBytes(16).toString('base64url'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: sign({
            iss: issuer,
            sub: 'sujet-stable-42',
            aud: state.audience(grant.clientId),
            ...(state.azp ? { azp: state.azp } : {}),
            iat: now,
            exp: now + 300,
            nonce: grant.nonce,
            email: 'externe@client.test',
            email_verified: true,
          }),
        });
      });
      return;
    }
    res.writeHead(404).end();
  });
  return { issuer, server, state };
}

describe('external issuer: an ID token for another audience', () => {
  let s: OidcTestServer;
  let provider: ReturnType<typeof fakeProvider>;
  beforeAll(async () => {
    const port = await freePort();
    provider = fakeProvider(port);
    await new Promise<void>((resolve) => provider.server.listen(port, '127.0.0.1', resolve));
    s = await startOidcServer({
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: 'passerelle',
      OIDC_CLIENT_SECRET: 'secret-de-test',
    });
    await clientWithStart(s, 'externe@client.test');
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((resolve) => provider?.server.close(resolve));
  });

  /** /auth/login → the provider's authorize (answers at once) → our callback. */
  async function signIn() {
    const browser = new TestBrowser(s.baseUrl);
    const start = await browser.request('/auth/login?returnTo=%2Fespace');
    const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const res = await browser.request(authorize.headers.get('location') ?? '');
    return { browser, res };
  }

  it('refuses an ID token issued for another client_id', async () => {
    provider.state.audience = () => 'autre-application';
    const { browser, res } = await signIn();
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('La réponse du fournisseur d’identité n’a pas pu être vérifiée.');
    expect(await lastFailure(s)).toMatchObject({ reason: 'invalid_response' });
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
  });

  it('refuses a token with several audiences whose authorized party is another client', async () => {
    provider.state.audience = (clientId) => [clientId, 'autre-application'];
    provider.state.azp = 'autre-application';
    const { browser, res } = await signIn();
    expect(res.status).toBe(400);
    expect(await lastFailure(s)).toMatchObject({ reason: 'invalid_response' });
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    provider.state.azp = undefined;
  });

  it('control: the same provider with our client_id signs the client in', async () => {
    provider.state.audience = (clientId) => clientId;
    const { browser, res } = await signIn();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/espace');
    const session = await (await browser.request('/api/session')).json();
    expect(session).toMatchObject({ kind: 'client', user: { email: 'externe@client.test' } });
  });
});
