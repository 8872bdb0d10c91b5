import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { mailboxMessages, outboxMails } from '../../db/schema/index.ts';

/** All SQL of the mail feature: the outbox the worker drains, and the embedded mailbox. */

/** Notified in the enqueuing transaction: PostgreSQL delivers it at commit, drops it on rollback. */
export const OUTBOX_CHANNEL = 'passerelle_outbox';

export interface NewOutboxMail {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  messageId: string;
  firmId: string | null;
}

export async function insertOutboxMail(tx: DbOrTx, mail: NewOutboxMail): Promise<void> {
  await tx.insert(outboxMails).values(mail);
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

/** A mail taken by one worker. `lease` is the exact `locked_until` it set, as text, to guard updates. */
export interface ClaimedMail {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  messageId: string;
  /** Attempts started, this one included. */
  attempts: number;
  createdAt: Date;
  lease: string;
}

interface ClaimedRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  attempts: number;
  created_at: Date | string;
  lease: string;
}

/**
 * Takes up to `limit` due mails for this worker: pending ones whose time has come, and
 * `sending` ones whose previous worker's lease ran out (it crashed or hung). SKIP LOCKED lets
 * concurrent workers take disjoint batches without waiting for each other. Database time only,
 * so instances with skewed clocks agree.
 */
export async function claimDueMails(db: DbOrTx, limit: number, leaseMs: number): Promise<ClaimedMail[]> {
  const result = await db.execute(sql`
    with due as (
      select id from outbox_mails
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and locked_until <= now())
      order by next_attempt_at, created_at
      limit ${limit}
      for update skip locked
    )
    update outbox_mails as m
    set status = 'sending',
        attempts = m.attempts + 1,
        locked_until = now() + ${leaseMs}::double precision * interval '1 millisecond'
    from due
    where m.id = due.id
    returning m.id, m.kind, m.to_address, m.subject, m.text_body, m.html_body, m.message_id,
              m.attempts, m.created_at, m.locked_until::text as lease
  `);
  const rows = (result as unknown as { rows: ClaimedRow[] }).rows;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    toAddress: r.to_address,
    subject: r.subject,
    textBody: r.text_body,
    htmlBody: r.html_body,
    messageId: r.message_id,
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at),
    lease: r.lease,
  }));
}

/** Only the holder of the current lease may settle a mail; a late worker changes nothing. */
const heldBy = (mail: Pick<ClaimedMail, 'id' | 'lease'>) =>
  and(
    eq(outboxMails.id, mail.id),
    eq(outboxMails.status, 'sending'),
    sql`${outboxMails.lockedUntil} = ${mail.lease}::timestamptz`,
  );

/** Returns false when the lease was lost (another worker took the mail over). */
export async function markSent(db: DbOrTx, mail: Pick<ClaimedMail, 'id' | 'lease'>): Promise<boolean> {
  const rows = await db
    .update(outboxMails)
    .set({ status: 'sent', sentAt: sql`now()`, lockedUntil: null, lastError: null })
    .where(heldBy(mail))
    .returning({ id: outboxMails.id });
  return rows.length === 1;
}

/** A failed attempt: back to pending after `retryInMs`, or failed for good (kept, visible). */
export async function markAttemptFailed(
  db: DbOrTx,
  mail: Pick<ClaimedMail, 'id' | 'lease'>,
  outcome: { error: string; retryInMs: number | null },
): Promise<boolean> {
  const rows = await db
    .update(outboxMails)
    .set(
      outcome.retryInMs === null
        ? { status: 'failed', lockedUntil: null, lastError: outcome.error }
        : {
            status: 'pending',
            lockedUntil: null,
            lastError: outcome.error,
            nextAttemptAt: sql`now() + ${outcome.retryInMs}::double precision * interval '1 millisecond'`,
          },
    )
    .where(heldBy(mail))
    .returning({ id: outboxMails.id });
  return rows.length === 1;
}

/** Gives back a claimed mail that was not tried (shutdown, lease budget spent): no attempt counted. */
export async function releaseMail(db: DbOrTx, mail: Pick<ClaimedMail, 'id' | 'lease'>): Promise<void> {
  await db
    .update(outboxMails)
    .set({ status: 'pending', lockedUntil: null, attempts: sql`${outboxMails.attempts} - 1` })
    .where(heldBy(mail));
}

export async function findOutboxMail(db: DbOrTx, id: string) {
  const [row] = await db.select().from(outboxMails).where(eq(outboxMails.id, id));
  return row;
}

// --- embedded mailbox -------------------------------------------------------------------

export interface NewMailboxMessage {
  envelopeFrom: string | null;
  envelopeTo: string[];
  subject: string | null;
  messageId: string | null;
  raw: string;
}

export async function insertMailboxMessage(db: DbOrTx, message: NewMailboxMessage): Promise<{ id: string }> {
  const [row] = await db
    .insert(mailboxMessages)
    .values({ ...message, envelopeTo: message.envelopeTo.join(',') })
    .returning({ id: mailboxMessages.id });
  if (!row) throw new Error('mailbox message not stored');
  return row;
}

const summaryColumns = {
  id: mailboxMessages.id,
  envelopeFrom: mailboxMessages.envelopeFrom,
  envelopeTo: mailboxMessages.envelopeTo,
  subject: mailboxMessages.subject,
  messageId: mailboxMessages.messageId,
  receivedAt: mailboxMessages.receivedAt,
};

/** Newest first; `to` keeps the messages addressed to that recipient (case-insensitive). */
export async function listMailboxMessages(
  db: DbOrTx,
  options: { to?: string; limit: number; withRaw?: boolean },
) {
  const where = options.to
    ? sql`lower(${options.to}) = any(string_to_array(lower(${mailboxMessages.envelopeTo}), ','))`
    : undefined;
  return db
    .select({ ...summaryColumns, raw: options.withRaw ? mailboxMessages.raw : sql<null>`null` })
    .from(mailboxMessages)
    .where(where)
    .orderBy(desc(mailboxMessages.receivedAt), desc(mailboxMessages.id))
    .limit(options.limit);
}

export async function findMailboxMessage(db: DbOrTx, id: string) {
  const [row] = await db.select().from(mailboxMessages).where(eq(mailboxMessages.id, id));
  return row;
}
