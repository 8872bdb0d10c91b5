import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { openDatabase, runMigrations } from './db/connection.ts';
import { seedDemoData } from './demo/demo-seed.ts';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Passerelle cannot start. ${err.message}`);
      process.exit(78);
    }
    throw err;
  }

  const database = await openDatabase(config.database);
  await runMigrations(database);
  const { app, ctx } = await buildApp({ config, database });
  if (config.demoData) {
    const demo = await seedDemoData(ctx);
    if (demo.created) app.log.info('Demo firm "Cabinet Démo" created');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // The embedded database's own process ended under us: nothing can work any more, so stop
  // (a supervisor restarts the server, which restarts the database).
  void database.stopped?.then((err) => {
    if (closing) return;
    closing = true;
    app.log.fatal({ err }, 'the embedded database stopped; exiting');
    void app.close().finally(() => process.exit(1));
  });

  await app.listen({ port: config.port, host: config.host });
  const lines = [
    '',
    `  Passerelle is running on ${config.publicUrl}`,
    `  Database: ${config.database.kind === 'pglite' ? `PGlite (embedded, its own process) in ${config.database.dir}` : 'PostgreSQL'}`,
    `  Identity: ${config.identity.kind === 'embedded' ? `embedded OpenID provider at ${config.identity.issuer}` : config.identity.issuer}`,
    `  Mail: ${config.mail.embedded ? `embedded SMTP, read it at ${config.publicUrl}/mailbox` : 'SMTP_URL'}`,
  ];
  if (config.demoData) {
    lines.push(
      '',
      '  Demo firm "Cabinet Démo": sign in as',
      '    admin@cabinet-demo.test  /  Demo-Passerelle-2026',
    );
  }
  console.log(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error('Passerelle failed to start:', err);
  process.exit(1);
});
