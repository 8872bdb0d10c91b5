import * as client from 'openid-client';
import type { Config } from '../../../config.ts';

/** Where a sign-in goes: one issuer and Passerelle's registration there. */
export interface IssuerSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** openid-client refuses http:// issuers; we allow it only on this machine, never in production. */
export function allowsInsecureIssuer(config: Config, issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && !config.isProduction && LOOPBACK.test(url.hostname);
}

/**
 * Passerelle as an OpenID Connect relying party (openid-client). Discovery is lazy and
 * cached per issuer: the embedded provider answers only once this server listens.
 */
export function createRelyingParty(config: Config, deploymentDefault: IssuerSettings) {
  const configurations = new Map<string, Promise<client.Configuration>>();

  function configurationFor(settings: IssuerSettings): Promise<client.Configuration> {
    const key = `${settings.issuer}\n${settings.clientId}`;
    let pending = configurations.get(key);
    if (!pending) {
      pending = client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        {
          execute: allowsInsecureIssuer(config, settings.issuer) ? [client.allowInsecureRequests] : [],
          timeout: 10,
        },
      );
      configurations.set(key, pending);
      // A failed discovery is retried on the next sign-in, not cached.
      pending.catch(() => configurations.delete(key));
    }
    return pending;
  }

  return {
    redirectUri: `${config.publicUrl}/auth/callback`,
    postLogoutRedirectUri: `${config.publicUrl}/`,
    /**
     * The provider that signs in the people of a firm. Today every firm uses the deployment's
     * (embedded, or OIDC_ISSUER); a firm's own row in identity_providers will be looked up here.
     */
    async settingsFor(_firmId: string | null): Promise<IssuerSettings> {
      return deploymentDefault;
    },
    async settingsForIssuer(issuer: string): Promise<IssuerSettings | undefined> {
      return issuer === deploymentDefault.issuer ? deploymentDefault : undefined;
    },
    configurationFor,
  };
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;
