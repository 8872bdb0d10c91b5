import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import type { Database } from '../src/db/connection.ts';
import { mailboxMessages, outboxMails } from '../src/db/schema/index.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';
import { createFolderPageCache } from '../src/modules/ged/folder-page-cache.ts';
import { createMailModule, type MailModule, type OutgoingMail } from '../src/modules/mail/mail.module.ts';
import { claimDueMails, markAttemptFailed, markSent } from '../src/modules/mail/mail.repository.ts';
import { renderMail } from '../src/modules/mail/mail.template.ts';
import type { OutboxWorkerOptions } from '../src/modules/mail/outbox-worker.ts';
import { createSessionService } from '../src/modules/sessions/sessions.service.ts';
import { createTestDatabase } from './support/database.ts';
import { closedPort, type SmtpSink, startSmtpSink, waitFor } from './support/smtp-sink.ts';

/**
 * The outbox end to end at module level: enqueue in a transaction, deliver through nodemailer
 * to a real SMTP server on loopback, read back with mailparser.
 */
let database: Database;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());
beforeEach(async () => {
  await database.db.delete(outboxMails);
  await database.db.delete(mailboxMessages);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function contextFor(env: Record<string, string>): AppContext {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    config,
    database,
    db: database.db,
    sessions: createSessionService(database.db, config.sessionTtlMs),
    blobs: DiskBlobStore.inDataDir(config.dataDir),
    gedPages: createFolderPageCache(database.db, { maxBytes: 0 }),
    log: pino({ level: 'silent' }),
  };
}

async function mailModule(env: Record<string, string>, options: Partial<OutboxWorkerOptions> = {}) {
  const mail = await createMailModule(contextFor(env), options);
  cleanups.push(() => mail.stop());
  return mail;
}

async function sink(options: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const server = await startSmtpSink(options);
  cleanups.push(() => server.close());
  return server;
}

const invitation = (to = 'jeanne.martin@exemple.fr'): OutgoingMail => {
  const body = renderMail({
    title: 'Invitation de Cabinet Durand',
    paragraphs: ['Bonjour Jeanne,', 'Cabinet Durand vous invite à rejoindre son espace collaboratif.'],
    action: { label: "Accepter l'invitation", url: 'https://passerelle.test/invitation?token=abc&x=1' },
    footer: 'Vous recevez cet e-mail car Cabinet Durand vous a invitée sur Passerelle.',
  });
  return {
    kind: 'client.invitation',
    toAddress: to,
    subject: 'Invitation à rejoindre Cabinet Durand',
    textBody: body.text,
    htmlBody: body.html,
  };
};

async function outboxRows() {
  return database.db.select().from(outboxMails).orderBy(outboxMails.createdAt);
}

/** Makes every pending mail due now, as if its retry delay had passed. */
async function fastForward() {
  await database.db.execute(sql`update outbox_mails set next_attempt_at = now() where status = 'pending'`);
}

describe('mail outbox', () => {
  it('delivers a mail enqueued in a committed transaction to the SMTP server, once', async () => {
    const smtp = await sink();
    const mail = await mailModule({ SMTP_URL: smtp.url, MAIL_FROM: 'Passerelle <no-reply@passerelle.test>' });

    const { id } = await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    expect(await mail.deliverDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [row] = await outboxRows();
    const received = smtp.received[0]?.parsed;
    expect(row?.id).toBe(id);
    expect(row?.messageId).toMatch(/^<[0-9a-f-]{36}@127\.0\.0\.1>$/);
    expect(received?.messageId).toBe(row?.messageId);
    expect(received?.subject).toBe('Invitation à rejoindre Cabinet Durand');
    expect(received?.from?.value).toEqual([{ name: 'Passerelle', address: 'no-reply@passerelle.test' }]);
    expect(received?.to && !Array.isArray(received.to) ? received.to.text : '').toBe(
      'jeanne.martin@exemple.fr',
    );
    expect(smtp.received[0]?.envelopeTo).toEqual(['jeanne.martin@exemple.fr']);
    expect(received?.text).toContain(
      "Accepter l'invitation :\nhttps://passerelle.test/invitation?token=abc&x=1",
    );
    expect(received?.html).toContain('href="https://passerelle.test/invitation?token=abc&amp;x=1"');
    expect(received?.html).toContain('Accepter l&#39;invitation');
    expect(received?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, lockedUntil: null });
    expect(row?.sentAt).toBeInstanceOf(Date);

    expect(await mail.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('never sends a mail whose transaction rolled back', async () => {
    const smtp = await sink();
    const mail = await mailModule({ SMTP_URL: smtp.url });

    await expect(
      database.db.transaction(async (tx) => {
        await mail.outbox.enqueue(tx, invitation());
        throw new Error('the act failed after enqueueing its mail');
      }),
    ).rejects.toThrow('the act failed');

    expect(await outboxRows()).toHaveLength(0);
    expect(await mail.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('keeps the mail while SMTP is down, then delivers it exactly once with the same Message-ID', async () => {
    const port = await closedPort();
    const mail = await mailModule({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    const before = Date.now();
    expect(await mail.deliverDue()).toBe(0);
    const [failed] = await outboxRows();
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
    expect(failed?.lastError).toMatch(/ECONNREFUSED/);
    // First retry: 30 s with jitter, i.e. between 15 and 30 s from now.
    expect(failed?.nextAttemptAt.getTime()).toBeGreaterThan(before + 14_000);
    expect(failed?.nextAttemptAt.getTime()).toBeLessThan(Date.now() + 31_000);

    // Not due yet: nothing is tried.
    expect(await mail.deliverDue()).toBe(0);
    expect((await outboxRows())[0]?.attempts).toBe(1);

    const smtp = await sink({ port });
    await fastForward();
    expect(await mail.deliverDue()).toBe(1);
    expect(await mail.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.parsed.messageId).toBe(failed?.messageId);
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('backs off exponentially and marks the mail failed after the last attempt, keeping it', async () => {
    const port = await closedPort();
    const mail = await mailModule({ SMTP_URL: `smtp://127.0.0.1:${port}` }, { maxAttempts: 3 });
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const start = Date.now();
      await mail.deliverDue();
      const [row] = await outboxRows();
      expect(row?.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(row?.status).toBe('pending');
        delays.push((row?.nextAttemptAt.getTime() ?? 0) - start);
        await fastForward();
      } else {
        expect(row?.status).toBe('failed');
        expect(row?.lastError).toMatch(/ECONNREFUSED/);
      }
    }
    // 30 s then 60 s, each with jitter in [half, full].
    expect(delays[0]).toBeGreaterThan(14_000);
    expect(delays[0]).toBeLessThan(31_000);
    expect(delays[1]).toBeGreaterThan(29_000);
    expect(delays[1]).toBeLessThan(61_000);

    await fastForward();
    expect(await mail.deliverDue()).toBe(0);
    expect((await outboxRows())[0]).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('fails for good at once when the server refuses the recipient permanently', async () => {
    const smtp = await sink({ rejectRecipients: true });
    const mail = await mailModule({ SMTP_URL: smtp.url });
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation('nobody@exemple.fr')));

    expect(await mail.deliverDue()).toBe(0);
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.lastError).toMatch(/550/);
  });

  it('delivers each mail once when two workers race for the same outbox', async () => {
    const smtp = await sink();
    const workerA = await mailModule({ SMTP_URL: smtp.url }, { batchSize: 4 });
    const workerB = await mailModule({ SMTP_URL: smtp.url }, { batchSize: 4 });
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 30; i++) await workerA.outbox.enqueue(tx, invitation(`contact${i}@exemple.fr`));
    });

    const [a, b] = await Promise.all([workerA.deliverDue(), workerB.deliverDue()]);

    expect(a + b).toBe(30);
    expect(smtp.received).toHaveLength(30);
    const messageIds = new Set(smtp.received.map((m) => m.parsed.messageId));
    expect(messageIds.size).toBe(30);
    const recipients = new Set(smtp.received.flatMap((m) => m.envelopeTo));
    expect(recipients.size).toBe(30);
    const rows = await outboxRows();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('takes over a mail whose worker died mid-delivery', async () => {
    const smtp = await sink();
    const mail = await mailModule({ SMTP_URL: smtp.url });
    const { id } = await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    // A worker claims it with a lease that runs out at once, then never comes back.
    const [stale] = await claimDueMails(database.db, 10, 1);
    expect(stale?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 20));

    expect(await mail.deliverDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [row] = await database.db.select().from(outboxMails).where(eq(outboxMails.id, id));
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lets only the holder of the current lease settle a mail', async () => {
    const mail = await mailModule({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    const { id } = await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    const [late] = await claimDueMails(database.db, 10, 1);
    await new Promise((r) => setTimeout(r, 20));
    const [current] = await claimDueMails(database.db, 10, 60_000);
    if (!late || !current) throw new Error('mail not claimed');
    expect(current.id).toBe(id);

    // The worker whose lease ran out comes back: whatever it reports changes nothing.
    expect(await markSent(database.db, late)).toBe(false);
    expect(await markAttemptFailed(database.db, late, { error: 'late', retryInMs: 1000 })).toBe(false);
    const [during] = await database.db.select().from(outboxMails).where(eq(outboxMails.id, id));
    expect(during).toMatchObject({ status: 'sending', attempts: 2, lastError: null });

    expect(await markSent(database.db, current)).toBe(true);
    const [after] = await database.db.select().from(outboxMails).where(eq(outboxMails.id, id));
    expect(after).toMatchObject({ status: 'sent', lockedUntil: null });
  });

  it('does not take a mail that another worker holds under a valid lease', async () => {
    const smtp = await sink();
    const mail = await mailModule({ SMTP_URL: smtp.url });
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));

    const claimed = await claimDueMails(database.db, 10, 60_000);
    expect(claimed).toHaveLength(1);
    expect(await mail.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('wakes the worker as soon as the enqueuing transaction commits', async () => {
    const smtp = await sink();
    // Polling every minute: only the commit notification can deliver within the test.
    const mail = await mailModule({ SMTP_URL: smtp.url }, { pollIntervalMs: 60_000 });
    await mail.start();

    await expect(
      database.db.transaction(async (tx) => {
        await mail.outbox.enqueue(tx, invitation('rolled.back@exemple.fr'));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation('committed@exemple.fr')));

    await waitFor(() => smtp.received.length === 1, 10_000);
    expect(smtp.received[0]?.envelopeTo).toEqual(['committed@exemple.fr']);
    await mail.stop();
    expect(smtp.received).toHaveLength(1);
  });

  it('stop() waits for the mail being sent and settles it', async () => {
    const smtp = await sink({ delayMs: 400 });
    const mail = await mailModule({ SMTP_URL: smtp.url });
    await database.db.transaction(async (tx) => {
      await mail.outbox.enqueue(tx, invitation('first@exemple.fr'));
      await mail.outbox.enqueue(tx, invitation('second@exemple.fr'));
    });

    const delivering = mail.deliverDue();
    await new Promise((r) => setTimeout(r, 150));
    await mail.stop();

    // The mail in flight was settled as sent; the other was handed back untried.
    expect(smtp.received).toHaveLength(1);
    const rows = await outboxRows();
    expect(rows.map((r) => r.status).sort()).toEqual(['pending', 'sent']);
    expect(rows.find((r) => r.status === 'pending')).toMatchObject({ attempts: 0, lockedUntil: null });
    expect(await delivering).toBe(1);
  });

  it('refuses a malformed mail at enqueue', async () => {
    const mail = await mailModule({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    await expect(
      database.db.transaction((tx) =>
        mail.outbox.enqueue(tx, { ...invitation(), toAddress: 'not-an-address' }),
      ),
    ).rejects.toThrow();
    await expect(
      database.db.transaction((tx) =>
        mail.outbox.enqueue(tx, { ...invitation(), subject: 'Bonjour\r\nBcc: victim@exemple.fr' }),
      ),
    ).rejects.toThrow();
    expect(await outboxRows()).toHaveLength(0);
  });
});

describe('embedded SMTP server', () => {
  let mail: MailModule;
  beforeEach(async () => {
    mail = await mailModule({});
  });

  it('captures delivered mail into the mailbox without start() being called', async () => {
    await database.db.transaction((tx) => mail.outbox.enqueue(tx, invitation()));
    expect(await mail.deliverDue()).toBe(1);

    const [outbox] = await outboxRows();
    const stored = await database.db.select().from(mailboxMessages);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      envelopeTo: 'jeanne.martin@exemple.fr',
      envelopeFrom: 'no-reply@passerelle.localhost',
      subject: 'Invitation à rejoindre Cabinet Durand',
      messageId: outbox?.messageId,
    });
    expect(stored[0]?.raw).toContain(`Message-ID: ${outbox?.messageId}`);
    expect(outbox?.status).toBe('sent');
  });
});
