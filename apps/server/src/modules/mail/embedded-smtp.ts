import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { Db } from '../../db/connection.ts';
import { insertMailboxMessage } from './mail.repository.ts';

/** Largest message the embedded server accepts (and the mailbox stores). */
export const EMBEDDED_SMTP_MAX_BYTES = 10 * 1024 * 1024;

export interface EmbeddedSmtp {
  host: string;
  port: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The zero-setup default: a real SMTP server on loopback that stores what it receives into
 * `mailbox_messages`, shown by the mailbox page. Mail takes the same path as in production
 * (outbox -> nodemailer -> SMTP); only the last hop differs. Loopback only, no TLS, no auth.
 */
export async function startEmbeddedSmtp(opts: { db: Db; log: FastifyBaseLogger }): Promise<EmbeddedSmtp> {
  // Loaded when the server starts, not when this module is: a process that never delivers mail
  // (SMTP_URL set, or the workers off) does not hold it.
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: EMBEDDED_SMTP_MAX_BYTES,
    banner: 'Passerelle embedded mailbox',
    logger: false,
    disableReverseLookup: true,
    maxClients: 20,
    socketTimeout: 30_000,
    closeTimeout: 5_000,
    onData(stream, session, callback) {
      receive(stream, session).then(
        () => callback(null),
        (err: unknown) => {
          if (!(err instanceof SmtpReply)) opts.log.error({ err }, 'embedded SMTP could not store a message');
          const reply =
            err instanceof SmtpReply ? err : new SmtpReply(451, 'Temporary failure, try again later');
          callback(Object.assign(new Error(reply.message), { responseCode: reply.responseCode }));
        },
      );
    },
  });
  server.on('error', (err) => opts.log.error({ err }, 'embedded SMTP server error'));

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Past the limit the stream is drained but not kept.
      if (size <= EMBEDDED_SMTP_MAX_BYTES) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > EMBEDDED_SMTP_MAX_BYTES) {
      throw new SmtpReply(552, 'Message exceeds the fixed maximum message size');
    }
    const raw = Buffer.concat(chunks);
    // Loaded on first mail: the parser (~25 MiB) is not needed by a server that sends none.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
    const mailFrom = session.envelope.mailFrom;
    await insertMailboxMessage(opts.db, {
      envelopeFrom: mailFrom ? mailFrom.address : null,
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      subject: parsed.subject ?? null,
      messageId: parsed.messageId ?? null,
      // A text column refuses NUL bytes; a mail has no business containing them.
      raw: raw.toString('utf8').replaceAll('\u0000', ''),
    });
  }

  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  opts.log.info({ port }, 'embedded SMTP server listening on loopback');

  return {
    host,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
