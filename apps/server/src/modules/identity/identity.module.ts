import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.ts';
import { invitationRoutes } from '../invitations/invitations.routes.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { authApiRoutes, authPageRoutes } from './auth.routes.ts';
import { createAuthService } from './auth.service.ts';
import {
  createEmbeddedProvider,
  type EmbeddedProvider,
  PASSERELLE_CLIENT_ID,
} from './embedded/embedded-provider.ts';
import { embeddedProviderRoutes } from './embedded/provider.routes.ts';
import { loadProviderSecrets } from './embedded/provider-secrets.ts';
import { deleteExpiredProviderRows } from './embedded/provider-store.repository.ts';
import { IDENTITY_ASSETS } from './html-page.ts';
import { createRelyingParty, type IssuerSettings } from './relying-party/relying-party.ts';

const SWEEP_INTERVAL_MS = 15 * 60_000;
const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const ASSET_TYPES: Record<string, string> = {
  'identity.css': 'text/css; charset=utf-8',
  'logout.js': 'text/javascript; charset=utf-8',
};

export interface IdentityModule {
  routes: FastifyPluginAsync;
  stop(): Promise<void>;
}

/**
 * Identity: Passerelle as an OpenID Connect relying party, and, by default, the embedded
 * OpenID provider it signs in with (mounted under the issuer path, `/idp`).
 */
export async function createIdentityModule(
  ctx: AppContext,
  deps: { mail: MailModule },
): Promise<IdentityModule> {
  const { config, db, log } = ctx;
  let embedded: EmbeddedProvider | null = null;
  let deploymentIssuer: IssuerSettings;
  if (config.identity.kind === 'embedded') {
    const secrets = await loadProviderSecrets(db);
    embedded = createEmbeddedProvider(ctx, secrets);
    deploymentIssuer = {
      issuer: config.identity.issuer,
      clientId: PASSERELLE_CLIENT_ID,
      clientSecret: secrets.clientSecret,
    };
  } else {
    const { issuer, clientId, clientSecret } = config.identity;
    deploymentIssuer = { issuer, clientId, clientSecret };
  }
  const rp = createRelyingParty(config, deploymentIssuer, db);
  const auth = createAuthService(ctx, rp);

  const assets = new Map<string, string>();
  for (const name of Object.keys(ASSET_TYPES))
    assets.set(name, await readFile(path.join(assetsDir, name), 'utf8'));

  const sweep = async () => {
    const now = new Date();
    await auth.sweepExpired();
    if (embedded) await deleteExpiredProviderRows(db, now);
  };
  const sweeper = setInterval(() => {
    sweep().catch((err) => log.error({ err }, 'identity sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const routes = async (app: FastifyInstance) => {
    app.get<{ Params: { name: string } }>(
      `${IDENTITY_ASSETS}/:name`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const body = assets.get(request.params.name);
        const type = ASSET_TYPES[request.params.name];
        if (body === undefined || type === undefined) return reply.callNotFound();
        return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
      },
    );
    if (embedded) await app.register(embeddedProviderRoutes, { ctx, embedded });
    // The directory's invitations (Entra sends its own through Microsoft Graph).
    if (embedded) await app.register(invitationRoutes, { ctx, mail: deps.mail });
    await app.register(authPageRoutes, { config, auth });
    await app.register(authApiRoutes, { config, auth });
  };

  return {
    routes,
    async stop() {
      clearInterval(sweeper);
    },
  };
}
