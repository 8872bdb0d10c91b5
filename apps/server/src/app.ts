import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import type { Database } from './db/connection.ts';
import { installSecurityHeaders, securityHeaderOptions } from './lib/security-headers.ts';
import { DiskBlobStore } from './lib/storage/disk-blob-store.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { clientSpaceRoutes } from './modules/client-space/client-space.routes.ts';
import { contactsRoutes } from './modules/contacts/contacts.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { figuresRoutes } from './modules/figures/figures.routes.ts';
import { firmIdentityModule } from './modules/firm-settings/firm-settings.module.ts';
import { createFolderPageCache } from './modules/ged/folder-page-cache.ts';
import { createBlobHousekeeping } from './modules/ged/ged.jobs.ts';
import { gedRoutes } from './modules/ged/ged.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { createIdentityModule } from './modules/identity/identity.module.ts';
import { createMailModule, type MailModule } from './modules/mail/mail.module.ts';
import { syncOfferCatalog } from './modules/offers/offers.catalog.ts';
import { offersRoutes } from './modules/offers/offers.routes.ts';
import { orgRolesRoutes } from './modules/org-roles/org-roles.routes.ts';
import { gedActivityCounters } from './modules/pieces/pieces.counters.ts';
import { createPiecesDigest } from './modules/pieces/pieces.digest.ts';
import { piecesRoutes } from './modules/pieces/pieces.routes.ts';
import { portfolioRoutes } from './modules/portfolio/portfolio.routes.ts';
import { servicesRoutes } from './modules/services/services.routes.ts';
import { createSessionService } from './modules/sessions/sessions.service.ts';
import { webRoutes } from './modules/web/web.routes.ts';
import { accessGuardPlugin } from './plugins/access-guard.ts';
import { installErrorHandler } from './plugins/error-handler.ts';
import { sessionPlugin } from './plugins/session.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface BuildAppOptions {
  config: Config;
  database: Database;
  /** Background workers (mail delivery, sweeps). Tests that drive them by hand turn them off. */
  startWorkers?: boolean;
  logger?: boolean;
}

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
  mail: MailModule;
  /** The firm's new-pieces digest; tests call `runDigest()` by hand. */
  piecesDigest: ReturnType<typeof createPiecesDigest>;
  blobHousekeeping: ReturnType<typeof createBlobHousekeeping>;
}

/** Builds the instance: plugins -> modules -> error handler. Does not listen. */
export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config, database } = options;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
          },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    sessions: createSessionService(database.db, config.sessionTtlMs),
    blobs: DiskBlobStore.inDataDir(config.dataDir),
    gedPages: createFolderPageCache(database.db, { maxBytes: config.gedPageCacheBytes }),
    log: app.log,
  };

  await syncOfferCatalog(ctx.db);

  installErrorHandler(app);
  await app.register(cookie);
  await app.register(formbody);
  // helmet's headers, computed once (they are the same on every response; decision 121).
  installSecurityHeaders(app, securityHeaderOptions(config));
  await app.register(rateLimit, { global: false });
  await app.register(sessionPlugin, { config, sessions: ctx.sessions });
  await app.register(accessGuardPlugin, { config });
  // Read-your-writes for the GED folder pages kept in process: whatever a state-changing request
  // did in its firm, the pages of that firm are read again (PostgreSQL's notification of the
  // change follows, for this instance and the others). Before the answer leaves: decision 122.
  app.addHook('onSend', async (request, _reply, payload) => {
    const actor = request.actor as typeof request.actor | null;
    if (!SAFE_METHODS.has(request.method) && actor && actor.type !== 'anonymous') {
      ctx.gedPages.invalidateFirm(actor.firmId);
    }
    return payload;
  });
  await ctx.gedPages.connect();
  app.addHook('onClose', () => ctx.gedPages.disconnect());

  const mail = await createMailModule(ctx);
  const identity = await createIdentityModule(ctx, { mail });

  await app.register(healthRoutes, { database });
  await app.register(mail.routes);
  await app.register(identity.routes);
  await app.register(portfolioRoutes, { ctx });
  await app.register(offersRoutes, { ctx });
  await app.register(orgRolesRoutes, { ctx });
  await app.register(contactsRoutes, { ctx });
  await app.register(servicesRoutes, { ctx, mail });
  await app.register(dashboardRoutes, { ctx, counters: gedActivityCounters });
  await app.register(figuresRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(gedRoutes, { ctx });
  await app.register(piecesRoutes, { ctx, mail });
  await app.register(firmIdentityModule, { ctx, startWorkers: options.startWorkers !== false });
  await app.register(clientSpaceRoutes, { ctx });
  await app.register(webRoutes, { config });

  const piecesDigest = createPiecesDigest(ctx, mail);
  const blobHousekeeping = createBlobHousekeeping(ctx);
  if (options.startWorkers !== false) {
    app.addHook('onReady', async () => {
      await mail.start();
      piecesDigest.start();
      blobHousekeeping.start();
    });
  }
  app.addHook('onClose', async () => {
    await piecesDigest.stop();
    await blobHousekeeping.stop();
    await mail.stop();
    await identity.stop();
  });

  return { app, ctx, mail, piecesDigest, blobHousekeeping };
}
