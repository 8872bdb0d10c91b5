import * as client from 'openid-client';
import type { Config } from '../../../config.ts';
import type { DbOrTx } from '../../../db/connection.ts';
import { sha256 } from '../../../lib/tokens.ts';
import {
  findIdentityProvider,
  findIdentityProviderByIssuer,
  type IdentityProviderRow,
} from '../../firm-settings/identity-provider.repository.ts';

/** Where a sign-in goes: one issuer and Passerelle's registration there. */
export interface IssuerSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `entra`: users keyed on (tid, oid), the tenant pinned; absent means a plain OIDC issuer. */
  kind?: 'embedded' | 'oidc' | 'entra';
  tenantId?: string;
}

/** A firm's own registration; `embedded` (or an incomplete row) means the deployment's. */
function settingsOfRow(row: IdentityProviderRow | undefined): IssuerSettings | undefined {
  if (!row || row.kind === 'embedded' || !row.clientId || !row.clientSecret) return undefined;
  return {
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret: row.clientSecret,
    kind: row.kind,
    ...(row.tenantId ? { tenantId: row.tenantId } : {}),
  };
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
export function createRelyingParty(config: Config, deploymentDefault: IssuerSettings, db?: DbOrTx) {
  const configurations = new Map<string, Promise<client.Configuration>>();

  function configurationFor(settings: IssuerSettings): Promise<client.Configuration> {
    // The secret is in the key: a secret replaced in the firm's settings is used at once.
    const key = `${settings.issuer}\n${settings.clientId}\n${sha256(settings.clientSecret)}`;
    let pending = configurations.get(key);
    if (!pending) {
      pending = client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        // Microsoft documents the secret in the token request body for its code flow.
        settings.kind === 'entra'
          ? client.ClientSecretPost(settings.clientSecret)
          : client.ClientSecretBasic(settings.clientSecret),
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
     * The provider that signs in the people of a firm: its own row in identity_providers
     * (OIDC issuer or Entra tenant), else the deployment's (embedded, or OIDC_ISSUER).
     */
    async settingsFor(firmId: string | null): Promise<IssuerSettings> {
      if (!firmId || !db) return deploymentDefault;
      return settingsOfRow(await findIdentityProvider(db, firmId)) ?? deploymentDefault;
    },
    async settingsForIssuer(issuer: string): Promise<IssuerSettings | undefined> {
      if (issuer === deploymentDefault.issuer) return deploymentDefault;
      return db ? settingsOfRow(await findIdentityProviderByIssuer(db, issuer)) : undefined;
    },
    configurationFor,
  };
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;
