import type { GrantInstance, KoaContextWithOIDC, default as Provider } from 'oidc-provider';
import type { AppContext } from '../../../context.ts';
import { findAccountById, type IdpAccount } from './accounts.repository.ts';
import { logoutPage, messagePage, providerErrorPage } from './provider-pages.ts';
import type { ProviderSecrets } from './provider-secrets.ts';
import { createProviderAdapterFactory, findGrantIdFor } from './provider-store.repository.ts';

/** Passerelle is the one client of its embedded provider. */
export const PASSERELLE_CLIENT_ID = 'passerelle';

const HOUR = 3600;
const DAY = 24 * HOUR;

export function accountClaims(account: IdpAccount) {
  const name = [account.givenName, account.familyName].filter(Boolean).join(' ');
  return {
    sub: account.id,
    email: account.email,
    email_verified: account.emailVerified,
    ...(name ? { name } : {}),
    ...(account.givenName ? { given_name: account.givenName } : {}),
    ...(account.familyName ? { family_name: account.familyName } : {}),
  };
}

export interface EmbeddedProvider {
  /** The issuer URL, and where the provider is mounted in this server: its path (`/idp`). */
  issuer: string;
  mountPath: string;
  /**
   * The provider itself, built on first call (the first request under its path). oidc-provider
   * and what it pulls in (Koa…) cost ~17 MiB of memory: not loaded before someone signs in.
   */
  provider(): Promise<Provider>;
}

/**
 * The embedded OpenID provider (oidc-provider), playing the firm's organization directory.
 * It is a real, separate authorization server that happens to run in this process: the
 * application talks to it over HTTP like to any other issuer.
 */
export function createEmbeddedProvider(ctx: AppContext, secrets: ProviderSecrets): EmbeddedProvider {
  const { config } = ctx;
  if (config.identity.kind !== 'embedded')
    throw new Error('the embedded provider needs identity.kind=embedded');
  const issuer = config.identity.issuer;
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '');
  let loading: Promise<Provider> | null = null;
  return {
    issuer,
    mountPath,
    provider() {
      loading ??= import('oidc-provider')
        .then(({ default: ProviderClass }) => buildProvider(ctx, secrets, ProviderClass, issuer, mountPath))
        .catch((err: unknown) => {
          // A failed load is retried by the next request, not cached.
          loading = null;
          throw err;
        });
      return loading;
    },
  };
}

function buildProvider(
  ctx: AppContext,
  secrets: ProviderSecrets,
  ProviderClass: typeof Provider,
  issuer: string,
  mountPath: string,
): Provider {
  const { config, db, log } = ctx;

  const sendHtml = (koa: KoaContextWithOIDC, body: string) => {
    koa.type = 'html';
    // The provider's forms post back to it: the browser must send our Origin (see access guard).
    koa.set('Referrer-Policy', 'same-origin');
    koa.body = body;
  };

  const provider: Provider = new ProviderClass(issuer, {
    adapter: createProviderAdapterFactory(db),
    clients: [
      {
        client_id: PASSERELLE_CLIENT_ID,
        client_secret: secrets.clientSecret,
        client_name: 'Passerelle',
        redirect_uris: [`${config.publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${config.publicUrl}/`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: secrets.jwks.keys as Record<string, unknown>[] },
    cookies: {
      keys: secrets.cookieKeys,
      names: { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_interaction_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    // The ID token carries the granted claims: the relying party needs no userinfo call.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    async findAccount(_koa, sub) {
      const account = await findAccountById(db, sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: () => accountClaims(account) };
    },
    // Consent outlives one provider session: look for the account's grant to this client too.
    async loadExistingGrant(koa): Promise<GrantInstance | undefined> {
      const clientId = koa.oidc.client?.clientId;
      const accountId = koa.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const candidates = [koa.oidc.result?.consent?.grantId, koa.oidc.session?.grantIdFor(clientId)];
      for (const grantId of candidates) {
        if (!grantId) continue;
        const grant: GrantInstance | undefined = await provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const remembered = await findGrantIdFor(db, accountId, clientId);
      return remembered ? provider.Grant.find(remembered) : undefined;
    },
    interactions: { url: (_koa, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(koa: KoaContextWithOIDC, form: string) {
          // end_session validated the hint before rendering: it came from Passerelle itself.
          const automatic = typeof koa.oidc.params?.id_token_hint === 'string';
          sendHtml(koa, logoutPage({ form, automatic }));
        },
        async postLogoutSuccessSource(koa: KoaContextWithOIDC) {
          sendHtml(
            koa,
            messagePage({
              title: 'Vous êtes déconnecté',
              message: 'Votre session sur l’annuaire est fermée.',
              link: { href: `${config.publicUrl}/`, label: 'Revenir à Passerelle' },
            }),
          );
        },
      },
    },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 10 * 60,
      IdToken: HOUR,
      Interaction: HOUR,
      // The directory session: a working day, then the password again.
      Session: 12 * HOUR,
      Grant: 365 * DAY,
    },
    async renderError(koa, out, error) {
      log.info({ err: error, error: out.error }, 'identity provider refused a request');
      sendHtml(koa, providerErrorPage(out.error, `${config.publicUrl}/`));
    },
    clientBasedCORS: () => false,
  });
  provider.proxy = config.trustProxy;
  provider.on('server_error', (_koa, err) => log.error({ err }, 'identity provider failed'));

  return provider;
}
