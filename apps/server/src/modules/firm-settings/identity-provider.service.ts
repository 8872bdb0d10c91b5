import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import type { StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { entraIssuer, resolveTenantId } from '../identity/entra/entra-tenant.ts';
import { allowsInsecureIssuer } from '../identity/relying-party/relying-party.ts';
import * as repo from './identity-provider.repository.ts';
import type { IdentityProviderInput, IdentityProviderView } from './identity-provider.schemas.ts';

const fieldError = (path: string, code: string, message: string) =>
  new AppError('VALIDATION_FAILED', undefined, [{ path, code, message }]);

/**
 * Where a firm's people sign in: the embedded provider, any OIDC issuer, or the firm's
 * Microsoft Entra tenant. Administrators only; the client secret is write-only.
 */
export function createIdentityProviderService(ctx: AppContext, deps: { fetch?: typeof fetch } = {}) {
  const { config, db } = ctx;

  function view(firm: { slug: string }, row: repo.IdentityProviderRow | undefined): IdentityProviderView {
    const urls = {
      redirectUri: `${config.publicUrl}/auth/callback`,
      signInUrl: `${config.publicUrl}/auth/login?firm=${encodeURIComponent(firm.slug)}`,
    };
    if (!row) {
      const deployment = config.identity;
      return deployment.kind === 'embedded'
        ? {
            kind: 'embedded',
            source: 'deployment',
            issuer: deployment.issuer,
            clientId: null,
            clientSecret: null,
            tenantId: null,
            ...urls,
          }
        : {
            kind: 'oidc',
            source: 'deployment',
            issuer: deployment.issuer,
            clientId: deployment.clientId,
            clientSecret: 'défini',
            tenantId: null,
            ...urls,
          };
    }
    return {
      kind: row.kind,
      source: 'firm',
      issuer: row.issuer,
      clientId: row.clientId,
      clientSecret: row.clientSecret ? 'défini' : null,
      tenantId: row.tenantId,
      ...urls,
    };
  }

  /** A new secret, or the stored one while the registration (kind and client id) is the same. */
  function secretFor(
    input: { kind: 'oidc' | 'entra'; clientId: string; clientSecret?: string | undefined },
    current: repo.IdentityProviderRow | undefined,
  ): string {
    if (input.clientSecret) return input.clientSecret;
    if (current?.kind === input.kind && current.clientId === input.clientId && current.clientSecret)
      return current.clientSecret;
    throw fieldError(
      'clientSecret',
      'required',
      'Saisissez le secret client : il est obligatoire pour une nouvelle inscription d’application.',
    );
  }

  async function valuesFor(
    input: IdentityProviderInput,
    current: repo.IdentityProviderRow | undefined,
  ): Promise<repo.IdentityProviderValues> {
    switch (input.kind) {
      case 'embedded':
        if (config.identity.kind !== 'embedded') {
          throw fieldError(
            'kind',
            'unavailable',
            'Cette installation n’a pas de fournisseur d’identité intégré (OIDC_ISSUER est défini).',
          );
        }
        return {
          kind: 'embedded',
          issuer: config.identity.issuer,
          clientId: null,
          clientSecret: null,
          tenantId: null,
        };
      case 'oidc': {
        const url = new URL(input.issuer);
        if (url.search || url.hash || url.username || url.password) {
          throw fieldError(
            'issuer',
            'invalid',
            'L’émetteur ne doit contenir ni paramètres, ni fragment, ni identifiants.',
          );
        }
        if (url.protocol !== 'https:' && !allowsInsecureIssuer(config, input.issuer)) {
          throw fieldError('issuer', 'insecure', 'L’émetteur doit être une URL https.');
        }
        return {
          kind: 'oidc',
          issuer: input.issuer,
          clientId: input.clientId,
          clientSecret: secretFor(input, current),
          tenantId: null,
        };
      }
      case 'entra': {
        const clientId = input.clientId.toLowerCase();
        const clientSecret = secretFor({ ...input, clientId }, current);
        const resolved = await resolveTenantId(config.entra.loginBaseUrl, input.tenantId, deps.fetch);
        if (!resolved.ok && resolved.reason === 'unreachable') {
          throw new AppError(
            'SERVICE_UNAVAILABLE',
            'Microsoft Entra ID ne répond pas : le tenant n’a pas pu être vérifié. Réessayez dans quelques instants.',
          );
        }
        if (!resolved.ok) {
          throw fieldError(
            'tenantId',
            'unknown_tenant',
            'Microsoft Entra ID ne connaît pas ce tenant : vérifiez l’ID de l’annuaire ou le domaine.',
          );
        }
        return {
          kind: 'entra',
          issuer: entraIssuer(config.entra.loginBaseUrl, resolved.tenantId),
          clientId,
          clientSecret,
          tenantId: resolved.tenantId,
        };
      }
    }
  }

  return {
    async get(actor: StaffActor): Promise<IdentityProviderView> {
      const firm = await repo.findFirmById(db, actor.firmId);
      if (!firm) throw new AppError('NOT_FOUND');
      return view(firm, await repo.findIdentityProvider(db, actor.firmId));
    },

    /**
     * Saves the firm's provider. When the issuer changes, the people of the old directory are
     * unbound (they bind again at the new one) and the firm's other sessions end.
     */
    async update(
      actor: StaffActor,
      origin: RequestOrigin,
      input: IdentityProviderInput,
      currentSessionIdHash: string | null,
    ): Promise<IdentityProviderView> {
      const firm = await repo.findFirmById(db, actor.firmId);
      if (!firm) throw new AppError('NOT_FOUND');
      const before = await repo.findIdentityProvider(db, actor.firmId);
      // Network (tenant resolution) before the transaction: none is held while Microsoft answers.
      const values = await valuesFor(input, before);
      const { result, reset } = await db.transaction(async (tx) => {
        const current = await repo.findIdentityProvider(tx, actor.firmId);
        const previousIssuer = current?.issuer ?? config.identity.issuer;
        const row = await repo.upsertIdentityProvider(tx, actor.firmId, values);
        const reset =
          previousIssuer !== row.issuer
            ? await repo.resetIdentityBindings(tx, actor.firmId, currentSessionIdHash)
            : null;
        await recordAudit(tx, origin, {
          action: 'identity_provider.updated',
          targetType: 'firm',
          targetId: actor.firmId,
          details: {
            kind: row.kind,
            previousKind: current?.kind ?? null,
            issuer: row.issuer,
            previousIssuer,
            clientId: row.clientId,
            secretReplaced: input.kind !== 'embedded' && input.clientSecret !== undefined,
            bindingsReset: reset,
          },
        });
        return { result: view(firm, row), reset };
      });
      // The firm's other sessions were deleted: no instance may keep serving them from its cache.
      if (reset) await ctx.sessions.invalidate({ firmId: actor.firmId });
      return result;
    },
  };
}

export type IdentityProviderService = ReturnType<typeof createIdentityProviderService>;
