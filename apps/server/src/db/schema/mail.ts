import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { firms } from './core.ts';

/**
 * Durable outbox: a mail row is written in the same transaction as the act that causes it;
 * a worker delivers it with retries and marks it sent once.
 */
export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').references(() => firms.id, { onDelete: 'set null' }),
    /** The reason the mail exists, e.g. 'client.invitation'. */
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** Message-ID set once, so a retried delivery is recognisable as the same mail. */
    messageId: text('message_id').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_mails_due_idx').on(t.status, t.nextAttemptAt)],
);

/** What the embedded SMTP server received (the built-in mailbox page), never in production. */
export const mailboxMessages = pgTable('mailbox_messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  envelopeFrom: text('envelope_from'),
  envelopeTo: text('envelope_to').notNull(),
  subject: text('subject'),
  messageId: text('message_id'),
  raw: text('raw').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
