import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createGraphClient } from '../identity/entra/graph-client.ts';
import { createGraphInvitationWorker } from '../identity/entra/graph-invitation-worker.ts';
import { identityProviderRoutes } from './identity-provider.routes.ts';
import { createIdentityProviderService } from './identity-provider.service.ts';

/**
 * A firm's own identity provider: the settings API, and for Microsoft Entra firms the worker
 * that sends the guest invitations queued by service proposals through Microsoft Graph.
 */
export async function firmIdentityModule(
  app: FastifyInstance,
  opts: { ctx: AppContext; startWorkers: boolean },
) {
  const { ctx } = opts;
  await app.register(identityProviderRoutes, { service: createIdentityProviderService(ctx) });

  const worker = createGraphInvitationWorker({
    db: ctx.db,
    log: ctx.log,
    graph: createGraphClient({
      loginBaseUrl: ctx.config.entra.loginBaseUrl,
      graphBaseUrl: ctx.config.entra.graphBaseUrl,
    }),
  });
  if (opts.startWorkers) app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
}
