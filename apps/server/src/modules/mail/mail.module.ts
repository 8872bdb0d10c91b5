import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { type EmbeddedSmtp, startEmbeddedSmtp } from './embedded-smtp.ts';
import { insertOutboxMail } from './mail.repository.ts';
import { type OutgoingMail, outgoingMailSchema } from './mail.schemas.ts';
import { mailboxRoutes } from './mailbox.routes.ts';
import { createMailboxService } from './mailbox.service.ts';
import { listenForEnqueuedMail } from './outbox-wakeup.ts';
import { createOutboxWorker, defaultOutboxWorkerOptions, type OutboxWorkerOptions } from './outbox-worker.ts';

export type { OutgoingMail } from './mail.schemas.ts';

export interface MailModule {
  outbox: {
    /**
     * Writes the mail in the caller's transaction: it exists, and leaves, only if the act that
     * causes it commits. Delivery happens later, with retries, exactly one Message-ID.
     */
    enqueue(tx: DbOrTx, mail: OutgoingMail): Promise<{ id: string }>;
  };
  /** The demo mailbox pages when mail is embedded; nothing otherwise. */
  routes: FastifyPluginAsync;
  /** Embedded SMTP (if any), then the delivery worker. */
  start(): Promise<void>;
  /** Stops the worker (waiting for the mail being sent), then the transport and embedded SMTP. */
  stop(): Promise<void>;
  /** Delivers what is due now and returns how many were sent. Tests drive the outbox with it. */
  deliverDue(): Promise<number>;
}

// SMTP timeouts: one delivery fits well within the worker's per-mail budget (60 s).
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export async function createMailModule(
  ctx: AppContext,
  workerOptions: Partial<OutboxWorkerOptions> = {},
): Promise<MailModule> {
  const { config, log } = ctx;
  const messageIdHost = new URL(config.publicUrl).hostname;

  // The embedded SMTP server and the transport start on first need: start(), or the first
  // delivery when a test drives deliverDue() without starting the worker. nodemailer itself
  // is loaded with the transport (the first mail to deliver), not at start-up.
  let embedded: Promise<EmbeddedSmtp> | null = null;
  let transport: Promise<Transporter> | null = null;
  const startEmbedded = () => {
    embedded ??= startEmbeddedSmtp({ db: ctx.db, log }).catch((err) => {
      embedded = null;
      throw err;
    });
    return embedded;
  };
  const getTransport = () => {
    transport ??= (async () => {
      const { default: nodemailer } = await import('nodemailer');
      if (!config.mail.embedded && config.mail.smtpUrl) {
        return nodemailer.createTransport({ url: config.mail.smtpUrl, ...SMTP_TIMEOUTS });
      }
      const smtp = await startEmbedded();
      return nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        ...SMTP_TIMEOUTS,
      });
    })().catch((err) => {
      transport = null;
      throw err;
    });
    return transport;
  };

  const worker = createOutboxWorker({
    db: ctx.db,
    log,
    from: config.mail.from,
    transport: getTransport,
    options: { ...defaultOutboxWorkerOptions, ...workerOptions },
  });

  let unlisten: (() => Promise<void>) | null = null;
  let listening = false;
  let stopped = false;
  const listen = async () => {
    if (listening || stopped) return;
    listening = true;
    try {
      unlisten = await listenForEnqueuedMail(
        ctx.database,
        worker.poke,
        () => {
          listening = false;
          unlisten = null;
          // Reconnect later; polling covers the gap.
          setTimeout(() => void listen(), 5_000).unref();
        },
        log,
      );
    } catch (err) {
      listening = false;
      log.warn({ err }, 'outbox listener unavailable; relying on polling');
    }
  };

  const mailbox = config.mail.embedded ? createMailboxService(ctx.db) : null;

  return {
    outbox: {
      async enqueue(tx, mail) {
        const valid = outgoingMailSchema.parse(mail);
        const id = randomUUID();
        await insertOutboxMail(tx, {
          id,
          kind: valid.kind,
          toAddress: valid.toAddress,
          subject: valid.subject,
          textBody: valid.textBody,
          htmlBody: valid.htmlBody ?? null,
          messageId: `<${randomUUID()}@${messageIdHost}>`,
          firmId: valid.firmId ?? null,
        });
        return { id };
      },
    },
    routes: async (app) => {
      if (mailbox) await app.register(mailboxRoutes, { mailbox });
    },
    async start() {
      // The worker delivers through the embedded server: it must listen first.
      if (config.mail.embedded) await startEmbedded();
      await listen();
      worker.start();
    },
    async stop() {
      stopped = true;
      await worker.stop();
      if (unlisten) await unlisten();
      if (transport) (await transport.catch(() => null))?.close();
      if (embedded) await (await embedded.catch(() => null))?.close();
    },
    deliverDue: () => worker.deliverDue(),
  };
}
