import { createServer } from 'node:net';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connection.ts';
import { idpAccounts, idpMemberships } from '../../src/db/schema/index.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/demo-seed.ts';
import { hashPassword } from '../../src/modules/identity/embedded/passwords.ts';
import { createTestDatabase } from './database.ts';

export { DEMO_PASSWORD };

/** A port nobody listens on right now (the OS picks it, we release it at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface OidcTestServer extends Awaited<ReturnType<typeof buildApp>> {
  baseUrl: string;
  config: Config;
  database: Database;
  firmId: string;
  /** Closes the server and builds a new one on the same database (same port). */
  restart(): Promise<OidcTestServer>;
  close(): Promise<void>;
}

/**
 * A listening server on a fresh database with the demo firm: the OpenID flow needs real
 * HTTP, since the relying party calls the embedded provider's token endpoint.
 */
export async function startOidcServer(
  env: Record<string, string> = {},
  reuse?: { database: Database; port: number },
): Promise<OidcTestServer> {
  const port = reuse?.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: baseUrl,
    DATA_DIR: '.tmp/test-data',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const database = reuse?.database ?? (await createTestDatabase());
  const built = await buildApp({ config, database, startWorkers: false, logger: false });
  await built.app.listen({ port, host: '127.0.0.1' });
  const { firmId } = await seedDemoData(built.ctx);
  const server: OidcTestServer = {
    ...built,
    baseUrl,
    config,
    database,
    firmId,
    async restart() {
      await built.app.close();
      return startOidcServer(env, { database, port });
    },
    async close() {
      await built.app.close();
      await database.close();
    },
  };
  return server;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  attributes: string[];
}

export interface Page {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

/**
 * A tiny browser: a cookie jar (by name and path, one host), manual redirects, and form
 * posts that carry our Origin as a browser does under `Referrer-Policy: same-origin`.
 */
export class TestBrowser {
  readonly cookies: StoredCookie[] = [];
  readonly visited: string[] = [];

  constructor(readonly baseUrl: string) {}

  cookie(name: string): StoredCookie | undefined {
    return this.cookies.find((c) => c.name === name);
  }

  /** The raw Set-Cookie lines of the last response, for attribute checks. */
  lastSetCookies: string[] = [];

  private store(setCookies: string[]) {
    this.lastSetCookies = setCookies;
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const lower = attrs.map((a) => a.toLowerCase());
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired =
        lower.some((a) => a === 'max-age=0') ||
        lower.some((a) => a.startsWith('expires=') && Date.parse(a.slice(8)) <= Date.now()) ||
        value === '';
      const index = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (index >= 0) this.cookies.splice(index, 1);
      if (!expired) this.cookies.push({ name, value, path, attributes: attrs });
    }
  }

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter(
        (c) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const target = new URL(url, this.baseUrl);
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin ??= this.baseUrl;
    }
    this.visited.push(`${init.method ?? 'GET'} ${target.pathname}`);
    const res = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.store(res.headers.getSetCookie());
    return res;
  }

  /**
   * Follows redirects like a browser until a page, or until the next URL matches `stopAt`
   * (then `url` is that next URL, not fetched).
   */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
    stopAt?: (next: URL) => boolean,
  ): Promise<Page & { stopped: boolean }> {
    let current = new URL(url, this.baseUrl);
    let res = await this.request(current.href, init);
    for (let hops = 0; hops < 15; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) break;
      current = new URL(location, current);
      if (stopAt?.(current)) {
        return {
          status: res.status,
          url: current.href,
          headers: res.headers,
          body: await res.text(),
          stopped: true,
        };
      }
      res = await this.request(current.href);
    }
    return {
      status: res.status,
      url: current.href,
      headers: res.headers,
      body: await res.text(),
      stopped: false,
    };
  }

  /** Submits the page's form (the one whose action matches, or the first) as a browser does. */
  async submit(
    page: Page,
    fields: Record<string, string>,
    options: { action?: RegExp; stopAt?: (next: URL) => boolean } = {},
  ) {
    const actions = [...page.body.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) =>
      decodeEntities(m[1] ?? ''),
    );
    const action = options.action ? actions.find((a) => options.action?.test(a)) : actions[0];
    if (!action) throw new Error(`no form on ${page.url}:\n${page.body.slice(0, 500)}`);
    const hidden: Record<string, string> = {};
    for (const m of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      hidden[m[1] ?? ''] = decodeEntities(m[2] ?? '');
    }
    return this.follow(
      new URL(action, page.url).href,
      { method: 'POST', form: { ...hidden, ...fields } },
      options.stopAt,
    );
  }
}

const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

export const isCallback = (baseUrl: string) => (next: URL) =>
  next.href.startsWith(`${baseUrl}/auth/callback`);

/**
 * Walks the provider's pages up to (not including) the callback: sign-in form, then the
 * consent page when it is asked. Returns the callback URL the provider sent the browser to.
 */
export async function signInAtProvider(
  browser: TestBrowser,
  input: { email: string; password: string; decision?: 'oui' | 'non'; returnTo?: string },
): Promise<{ callbackUrl: string; consentAsked: boolean; loginPage: Page & { stopped: boolean } }> {
  const start = input.returnTo ? `/auth/login?returnTo=${encodeURIComponent(input.returnTo)}` : '/auth/login';
  const stopAt = isCallback(browser.baseUrl);
  const loginPage = await browser.follow(start, {}, stopAt);
  if (loginPage.stopped) return { callbackUrl: loginPage.url, consentAsked: false, loginPage };
  if (!loginPage.body.includes('Se connecter'))
    throw new Error(`not a sign-in page: ${loginPage.body.slice(0, 400)}`);
  const afterLogin = await browser.submit(
    loginPage,
    { email: input.email, password: input.password },
    { stopAt },
  );
  if (afterLogin.stopped) return { callbackUrl: afterLogin.url, consentAsked: false, loginPage };
  if (!afterLogin.body.includes('name="decision"')) {
    throw new Error(`expected the consent page, got ${afterLogin.status}:\n${afterLogin.body.slice(0, 600)}`);
  }
  const afterConsent = await browser.submit(afterLogin, { decision: input.decision ?? 'oui' }, { stopAt });
  if (!afterConsent.stopped)
    throw new Error(`consent did not lead to the callback: ${afterConsent.body.slice(0, 400)}`);
  return { callbackUrl: afterConsent.url, consentAsked: true, loginPage };
}

/** The whole journey: provider pages, then the callback; the browser holds the session. */
export async function signInThroughBrowser(
  browser: TestBrowser,
  input: { email: string; password: string; decision?: 'oui' | 'non'; returnTo?: string },
) {
  const { callbackUrl, consentAsked } = await signInAtProvider(browser, input);
  const landing = await browser.follow(callbackUrl, {}, (next) => !next.pathname.startsWith('/auth/'));
  return { callbackUrl, consentAsked, landing };
}

/** An account at the embedded provider (the firm's directory), optionally in a firm. */
export async function createIdpAccount(
  server: OidcTestServer,
  input: { email: string; password?: string; emailVerified?: boolean; firmId?: string },
) {
  const [account] = await server.ctx.db
    .insert(idpAccounts)
    .values({
      email: input.email,
      emailVerified: input.emailVerified ?? true,
      givenName: 'Dominique',
      familyName: 'Test',
      passwordHash: await hashPassword(input.password ?? DEMO_PASSWORD),
    })
    .returning();
  if (!account) throw new Error('account not created');
  if (input.firmId)
    await server.ctx.db.insert(idpMemberships).values({ accountId: account.id, firmId: input.firmId });
  return account;
}
