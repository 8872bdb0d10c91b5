import { createHash, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the two Microsoft services Passerelle talks to, on 127.0.0.1:
 * - the Microsoft identity platform (login.microsoftonline.com): a tenant's v2.0 OpenID
 *   configuration and keys, the authorize endpoint (it "signs in" the account the test chose),
 *   and the token endpoint (client credentials, and authorization code with PKCE);
 * - Microsoft Graph (graph.microsoft.com): `POST /v1.0/invitations`.
 *
 * The bodies below follow the shapes Microsoft documents; each is marked with its source. The
 * values (ids, tokens, messages) are made up. Only what a live tenant does beyond these shapes
 * (policies, mail delivery, redemption) is out of reach here.
 */

export interface FakeEntraAccount {
  oid: string;
  name?: string;
  email?: string;
  /** Optional claim `xms_edov`: the e-mail's domain owner is verified. */
  xmsEdov?: boolean;
  /** The `tid` claim; the firm's tenant unless a test forges another one. */
  tid?: string;
}

/** What `POST /v1.0/invitations` answers next (one entry per request; then `created`). */
export type InvitationReply =
  | 'created'
  | { throttled: string }
  | 'forbidden'
  | 'bad_address'
  | 'server_error'
  | 'token_rejected';

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string | null;
  account: FakeEntraAccount;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** Graph's error envelope (learn.microsoft.com/graph/errors, "JSON representation"). */
const graphError = (code: string, message: string) => ({
  error: {
    code,
    message,
    innerError: {
      date: new Date().toISOString().slice(0, 19),
      'request-id': randomUUID(),
      'client-request-id': randomUUID(),
    },
  },
});

/**
 * The identity platform's token error (learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-client-creds-grant-flow, "Error response"): OAuth `error`, an `AADSTS…`
 * description, the numeric codes and trace ids.
 */
const tokenError = (error: string, aadsts: number, description: string) => ({
  error,
  error_description: `AADSTS${aadsts}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
  error_codes: [aadsts],
  timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
  trace_id: randomUUID(),
  correlation_id: randomUUID(),
  error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
});

export class FakeGraphServer {
  readonly tenantId = randomUUID();
  readonly domain = 'cabinet-exemple.fr';
  /** A domain whose discovery fails with a 5xx (Microsoft down). */
  readonly brokenDomain = 'panne-microsoft.fr';
  readonly clientId = randomUUID();
  clientSecret = `Xy8Q~${randomBytes(18).toString('base64url')}`;
  /** `expires_in` of the app-only tokens. */
  tokenExpiresIn = 3599;

  readonly tokenRequests: { grantType: string; clientId: string; scope: string | null }[] = [];
  readonly invitationRequests: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
  readonly authorizeRequests: URLSearchParams[] = [];
  invitationReplies: InvitationReply[] = [];
  /** The account the authorize endpoint signs in next (null: it answers an error page). */
  nextAccount: FakeEntraAccount | null = null;
  /** Object ids Graph hands out, in order; then random ones. */
  invitedUserIds: string[] = [];

  private server: Server | null = null;
  private baseUrl = '';
  private readonly keyId = b64url(randomBytes(20));
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly issuedAccessTokens = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  }

  get url(): string {
    return this.baseUrl;
  }

  get issuer(): string {
    return `${this.baseUrl}/${this.tenantId}/v2.0`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => json(res, 500, { error: String(err) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  reset() {
    this.tokenRequests.length = 0;
    this.invitationRequests.length = 0;
    this.authorizeRequests.length = 0;
    this.invitationReplies = [];
    this.invitedUserIds = [];
    this.nextAccount = null;
  }

  /** A tenant segment of a login URL: the GUID or the verified domain. */
  private knownTenant(segment: string): boolean {
    return segment.toLowerCase() === this.tenantId || segment.toLowerCase() === this.domain;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const [tenant = '', ...rest] = url.pathname.slice(1).split('/');
    const route = `${req.method} /${rest.join('/')}`;

    if (req.method === 'POST' && url.pathname === '/v1.0/invitations') return this.invitations(req, res);

    if (route === 'GET /v2.0/.well-known/openid-configuration') {
      if (tenant === this.brokenDomain) return json(res, 503, { error: 'temporarily_unavailable' });
      if (!this.knownTenant(tenant)) {
        return json(
          res,
          400,
          tokenError(
            'invalid_tenant',
            90002,
            `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
          ),
        );
      }
      return json(res, 200, this.openidConfiguration());
    }
    if (!this.knownTenant(tenant)) {
      return json(res, 400, tokenError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
    }
    switch (route) {
      case 'GET /discovery/v2.0/keys':
        // JWKS as served at {tenant}/discovery/v2.0/keys (kty, use, kid, n, e; x5c omitted).
        return json(res, 200, {
          keys: [{ kty: 'RSA', use: 'sig', kid: this.keyId, n: this.publicJwk.n, e: this.publicJwk.e }],
        });
      case 'GET /oauth2/v2.0/authorize':
        return this.authorize(url, res);
      case 'POST /oauth2/v2.0/token':
        return this.token(req, res);
      case 'GET /oauth2/v2.0/logout':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<p>Signed out</p>');
      default:
        return json(res, 404, { error: 'not_found' });
    }
  }

  /**
   * `{tenant}/v2.0/.well-known/openid-configuration` (learn.microsoft.com/entra/identity-platform/
   * v2-protocols-oidc, "Find your app's OpenID configuration document URI"): the issuer names the
   * tenant by its GUID even when asked by domain.
   */
  private openidConfiguration() {
    const base = `${this.baseUrl}/${this.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: this.issuer,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private authorize(url: URL, res: ServerResponse) {
    const params = url.searchParams;
    this.authorizeRequests.push(params);
    const account = this.nextAccount;
    const redirectUri = params.get('redirect_uri');
    if (!account || !redirectUri || params.get('client_id') !== this.clientId) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<p>AADSTS700016: Application not found, or nobody to sign in.</p>');
    }
    const code = b64url(randomBytes(32));
    this.codes.set(code, {
      clientId: this.clientId,
      redirectUri,
      nonce: params.get('nonce'),
      codeChallenge: params.get('code_challenge'),
      account,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = params.get('state');
    if (state) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href });
    return res.end();
  }

  /** client_secret_post (form) or client_secret_basic (header), as the token endpoint accepts. */
  private clientOf(req: IncomingMessage, form: URLSearchParams) {
    const basic = req.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    if (basic) {
      const [id = '', secret = ''] = Buffer.from(basic, 'base64')
        .toString('utf8')
        .split(':')
        .map(decodeURIComponent);
      return { id, secret };
    }
    return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
  }

  private async token(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    const grantType = form.get('grant_type') ?? '';
    const client = this.clientOf(req, form);
    this.tokenRequests.push({ grantType, clientId: client.id, scope: form.get('scope') });
    if (client.id !== this.clientId) {
      return json(
        res,
        400,
        tokenError(
          'unauthorized_client',
          700016,
          `Application with identifier '${client.id}' was not found in the directory.`,
        ),
      );
    }
    if (client.secret !== this.clientSecret) {
      // 401 invalid_client, as for a wrong or revoked client secret.
      return json(
        res,
        401,
        tokenError(
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        ),
      );
    }
    const accessToken = b64url(randomBytes(48));
    this.issuedAccessTokens.add(accessToken);

    if (grantType === 'client_credentials') {
      if (form.get('scope') !== 'https://graph.microsoft.com/.default') {
        return json(
          res,
          400,
          tokenError('invalid_scope', 1002012, 'The provided value for scope is not valid.'),
        );
      }
      // Successful client-credentials response (v2-oauth2-client-creds-grant-flow, "Successful response").
      return json(res, 200, {
        token_type: 'Bearer',
        expires_in: this.tokenExpiresIn,
        ext_expires_in: this.tokenExpiresIn,
        access_token: accessToken,
      });
    }
    if (grantType === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !pending ||
        pending.redirectUri !== form.get('redirect_uri') ||
        pending.codeChallenge !== challenge
      ) {
        return json(
          res,
          400,
          tokenError('invalid_grant', 70000, 'The provided authorization code or PKCE verifier is invalid.'),
        );
      }
      // Successful code redemption (v2-oauth2-auth-code-flow, "Successful response").
      return json(res, 200, {
        token_type: 'Bearer',
        scope: 'openid profile email',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: accessToken,
        id_token: this.idToken(pending),
      });
    }
    return json(
      res,
      400,
      tokenError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
    );
  }

  /** A v2.0 ID token (learn.microsoft.com/entra/identity-platform/id-token-claims-reference). */
  private idToken(pending: PendingCode): string {
    const now = Math.floor(Date.now() / 1000);
    const account = pending.account;
    const claims: Record<string, unknown> = {
      aud: pending.clientId,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + 3600,
      ...(account.name ? { name: account.name } : {}),
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
      oid: account.oid,
      preferred_username: account.email ?? `${account.oid}@${this.domain}`,
      ...(account.email ? { email: account.email } : {}),
      ...(account.xmsEdov !== undefined ? { xms_edov: account.xmsEdov } : {}),
      // Pairwise: one value per application, unlike oid.
      sub: createHash('sha256').update(`${account.oid}:${pending.clientId}`).digest('base64url').slice(0, 43),
      tid: account.tid ?? this.tenantId,
      uti: b64url(randomBytes(16)),
      ver: '2.0',
    };
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.keyId }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  private async invitations(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    this.invitationRequests.push({ authorization: req.headers.authorization, body });
    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const reply = this.invitationReplies.shift() ?? 'created';
    if (!bearer || !this.issuedAccessTokens.has(bearer) || reply === 'token_rejected') {
      // 401 with Graph's envelope, as for an expired or revoked token.
      return json(
        res,
        401,
        graphError('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
      );
    }
    if (typeof reply === 'object') {
      // Throttling (learn.microsoft.com/graph/throttling): 429, Retry-After in seconds.
      return json(res, 429, graphError('TooManyRequests', 'Too many requests. Please try again later.'), {
        'retry-after': reply.throttled,
      });
    }
    switch (reply) {
      case 'forbidden':
        // Guest invitations disabled or restricted to admins, or no User.Invite.All consent.
        return json(
          res,
          403,
          graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
        );
      case 'bad_address':
        return json(res, 400, graphError('BadRequest', 'The invited user email address is invalid.'));
      case 'server_error':
        return json(res, 500, graphError('UnknownError', ''));
      case 'created':
        break;
    }
    const invitedUserId = this.invitedUserIds.shift() ?? randomUUID();
    const invitationId = randomUUID();
    const ticket = b64url(randomBytes(24));
    // 201 Created with an invitation object (learn.microsoft.com/graph/api/invitation-post, "Response").
    return json(res, 201, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#invitations/$entity',
      id: invitationId,
      inviteRedeemUrl: `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(
        `https://invitations.microsoft.com/redeem/?tenant=${this.tenantId}&user=${invitationId}&ticket=${ticket}&ver=2.0`,
      )}`,
      invitedUserDisplayName: body.invitedUserDisplayName ?? null,
      invitedUserType: 'Guest',
      invitedUserEmailAddress: body.invitedUserEmailAddress,
      sendInvitationMessage: body.sendInvitationMessage ?? false,
      resetRedemption: false,
      inviteRedirectUrl: body.inviteRedirectUrl,
      status: 'PendingAcceptance',
      invitedUserMessageInfo: {
        messageLanguage:
          (body.invitedUserMessageInfo as { messageLanguage?: string } | undefined)?.messageLanguage ?? null,
        customizedMessageBody: null,
        ccRecipients: [{ emailAddress: { name: null, address: null } }],
      },
      invitedUser: { id: invitedUserId },
    });
  }
}

export async function startFakeGraphServer(): Promise<FakeGraphServer> {
  return new FakeGraphServer().start();
}
