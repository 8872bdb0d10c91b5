import { sha256 } from '../../../lib/tokens.ts';

/**
 * The little of Microsoft Graph Passerelle uses: an app-only token (client credentials) and
 * `POST /v1.0/invitations`. Every answer is sorted into "sent", "try again (maybe at this
 * time)" or "refused for good, with a sentence for the firm". Base URLs come from the
 * configuration so tests can point them at a local fake.
 */

export interface EntraAppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface GuestInvitation {
  email: string;
  displayName: string | null;
  /** Where Microsoft sends the guest after redemption. */
  redirectUrl: string;
  /** A sentence added to Microsoft's invitation mail. */
  messageBody?: string;
}

export interface SentInvitation {
  /** `invitedUser.id`: the guest's object id in the firm's tenant (later the `oid` claim). */
  invitedUserId: string;
  /** `PendingAcceptance` for a new guest, `Completed` for one who already redeemed. */
  status: string;
  redeemUrl: string | null;
}

export type RefusalReason =
  | 'tenant_refused'
  | 'address_refused'
  | 'credentials_refused'
  | 'unexpected_answer';

export type GraphFailure =
  | { kind: 'retry'; retryAfterMs: number | null; detail: string }
  | { kind: 'refused'; reason: RefusalReason; message: string; detail: string };

export class GraphError extends Error {
  constructor(readonly failure: GraphFailure) {
    super(failure.detail);
    this.name = 'GraphError';
  }
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Messages a firm administrator reads on the contact (contacts.invitation_error). */
export const refusalMessages = {
  tenant_refused:
    'Le tenant Microsoft du cabinet n’autorise pas l’invitation d’invités par Passerelle : vérifiez que les invitations B2B ne sont pas désactivées ou réservées aux administrateurs (Paramètres de collaboration externe) et que l’application a la permission User.Invite.All avec le consentement administrateur.',
  address_refused: 'Adresse e-mail refusée par Microsoft : vérifiez l’adresse de l’interlocuteur.',
  credentials_refused:
    'Microsoft a refusé la connexion de l’application Passerelle au tenant du cabinet : vérifiez l’ID du tenant, l’ID d’application et le secret client (peut-être expiré) dans les paramètres d’identité du cabinet.',
  unexpected_answer: 'Microsoft Graph a répondu de façon inattendue : l’invitation n’a pas été envoyée.',
} as const satisfies Record<RefusalReason, string>;

const MAX_RETRY_AFTER_MS = 3_600_000;

/** `Retry-After` is delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(MAX_RETRY_AFTER_MS, Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - nowMs));
}

/** Graph's error body: `{ error: { code, message, innerError: { request-id, … } } }`. */
function graphErrorDetail(status: number, body: unknown): string {
  const error = (
    body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }
  )?.error;
  const code = typeof error?.code === 'string' ? error.code : 'unknown';
  const message = typeof error?.message === 'string' ? error.message : '';
  const requestId = error?.innerError?.['request-id'];
  return `HTTP ${status} ${code}${message ? `: ${message}` : ''}${typeof requestId === 'string' ? ` (request-id ${requestId})` : ''}`.slice(
    0,
    1000,
  );
}

/** The identity platform's error body: `{ error, error_description: "AADSTS…: …", error_codes }`. */
function tokenErrorDetail(status: number, body: unknown): string {
  const b = body as { error?: unknown; error_description?: unknown } | null;
  const error = typeof b?.error === 'string' ? b.error : 'unknown';
  const description =
    typeof b?.error_description === 'string' ? (b.error_description.split(/\r?\n/)[0] ?? '') : '';
  return `HTTP ${status} ${error}${description ? `: ${description}` : ''}`.slice(0, 1000);
}

const retry = (detail: string, retryAfterMs: number | null = null): GraphError =>
  new GraphError({ kind: 'retry', retryAfterMs, detail });

const refuse = (reason: RefusalReason, detail: string): GraphError =>
  new GraphError({ kind: 'refused', reason, message: refusalMessages[reason], detail });

export interface GraphClientOptions {
  loginBaseUrl: string;
  graphBaseUrl: string;
  fetch?: typeof fetch;
  /** Per HTTP call. */
  timeoutMs?: number;
  now?: () => number;
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
}

// A token is renewed this long before Microsoft's expiry, so a call never starts with a dying one.
const TOKEN_EXPIRY_MARGIN_MS = 5 * 60_000;

export function createGraphClient(options: GraphClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  const tokens = new Map<string, CachedToken>();
  const pendingTokens = new Map<string, Promise<CachedToken>>();
  // The secret is part of the key: a new secret saved in the settings gets a new token at once.
  const keyOf = (c: EntraAppCredentials) => `${c.tenantId}\n${c.clientId}\n${sha256(c.clientSecret)}`;

  async function send(url: string, init: RequestInit): Promise<{ res: Response; body: unknown }> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw retry(`network: ${(err as Error).name}: ${(err as Error).message}`.slice(0, 1000));
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { res, body };
  }

  async function requestToken(credentials: EntraAppCredentials): Promise<CachedToken> {
    const url = `${options.loginBaseUrl}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
    const { res, body } = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: GRAPH_SCOPE,
        grant_type: 'client_credentials',
      }).toString(),
    });
    if (res.ok) {
      const b = body as { access_token?: unknown; expires_in?: unknown } | null;
      const expiresIn = Number(b?.expires_in);
      if (typeof b?.access_token !== 'string' || !Number.isFinite(expiresIn)) {
        throw refuse(
          'unexpected_answer',
          `token endpoint: HTTP ${res.status} without access_token/expires_in`,
        );
      }
      const lifetimeMs = expiresIn * 1000;
      return {
        accessToken: b.access_token,
        expiresAtMs:
          now() +
          (lifetimeMs > 2 * TOKEN_EXPIRY_MARGIN_MS ? lifetimeMs - TOKEN_EXPIRY_MARGIN_MS : lifetimeMs / 2),
      };
    }
    const detail = `token endpoint: ${tokenErrorDetail(res.status, body)}`;
    if (res.status === 429 || res.status >= 500)
      throw retry(detail, parseRetryAfter(res.headers.get('retry-after'), now()));
    // 400/401: unknown tenant (AADSTS90002), application not in the tenant (AADSTS700016),
    // wrong or expired secret (AADSTS7000215, AADSTS7000222). Retrying cannot help.
    throw refuse('credentials_refused', detail);
  }

  /** An app-only token for Graph, cached until shortly before it expires. */
  async function appToken(credentials: EntraAppCredentials): Promise<string> {
    const key = keyOf(credentials);
    const cached = tokens.get(key);
    if (cached && cached.expiresAtMs > now()) return cached.accessToken;
    let pending = pendingTokens.get(key);
    if (!pending) {
      pending = requestToken(credentials).finally(() => pendingTokens.delete(key));
      pendingTokens.set(key, pending);
    }
    const token = await pending;
    tokens.set(key, token);
    return token.accessToken;
  }

  return {
    appToken,

    /** `POST /v1.0/invitations`: creates (or finds again) the guest and has Microsoft mail them. */
    async inviteGuest(
      credentials: EntraAppCredentials,
      invitation: GuestInvitation,
    ): Promise<SentInvitation> {
      const accessToken = await appToken(credentials);
      const { res, body } = await send(`${options.graphBaseUrl}/v1.0/invitations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          invitedUserEmailAddress: invitation.email,
          ...(invitation.displayName ? { invitedUserDisplayName: invitation.displayName } : {}),
          inviteRedirectUrl: invitation.redirectUrl,
          sendInvitationMessage: true,
          invitedUserMessageInfo: {
            messageLanguage: 'fr-FR',
            ...(invitation.messageBody ? { customizedMessageBody: invitation.messageBody } : {}),
          },
        }),
      });
      if (res.status === 201 || res.status === 200) {
        const b = body as {
          invitedUser?: { id?: unknown };
          status?: unknown;
          inviteRedeemUrl?: unknown;
        } | null;
        const id = b?.invitedUser?.id;
        if (typeof id !== 'string' || id === '') {
          // Not retried: a retry would mail the person again for an answer we cannot read.
          throw refuse('unexpected_answer', `invitations: HTTP ${res.status} without invitedUser.id`);
        }
        return {
          invitedUserId: id,
          status: typeof b?.status === 'string' ? b.status : 'unknown',
          redeemUrl: typeof b?.inviteRedeemUrl === 'string' ? b.inviteRedeemUrl : null,
        };
      }
      const detail = `invitations: ${graphErrorDetail(res.status, body)}`;
      if (res.status === 429 || res.status >= 500)
        throw retry(detail, parseRetryAfter(res.headers.get('retry-after'), now()));
      if (res.status === 401) {
        // Our token was refused (revoked, or clock trouble): forget it, the retry gets a new one.
        tokens.delete(keyOf(credentials));
        throw retry(detail);
      }
      if (res.status === 403) throw refuse('tenant_refused', detail);
      if (res.status === 400) throw refuse('address_refused', detail);
      throw refuse('unexpected_answer', detail);
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
