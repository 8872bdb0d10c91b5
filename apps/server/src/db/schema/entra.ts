import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './collaboration.ts';
import { firms, staffMembers } from './core.ts';

/**
 * Guest invitations to a firm's Microsoft Entra tenant, sent through Microsoft Graph
 * (`POST /invitations`). A row is written in the transaction that proposes the service; a
 * worker calls Graph later, with a lease and retries, like the mail outbox. Credentials are
 * not copied here: the worker reads the firm's identity provider when it runs.
 */
export const entraInvitationJobs = pgTable(
  'entra_invitation_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    displayName: text('display_name'),
    /** Where Microsoft sends the guest once the invitation is redeemed: our sign-in, first time. */
    inviteRedirectUrl: text('invite_redirect_url').notNull(),
    requestedBy: uuid('requested_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['pending', 'sending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** Graph's `invitedUser.id`: the guest's object id in the firm's tenant (the `oid` claim). */
    invitedUserId: text('invited_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('entra_invitation_jobs_due_idx').on(t.status, t.nextAttemptAt),
    // One live job per contact: proposing a second service while the first invitation is
    // still on its way does not invite twice.
    uniqueIndex('entra_invitation_jobs_live_key')
      .on(t.contactId)
      .where(sql`${t.status} in ('pending', 'sending')`),
  ],
);
