import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../../db/connection.ts';
import { auditEvents, contacts, entraInvitationJobs } from '../../../db/schema/index.ts';

/** All SQL of the Graph invitation jobs: enqueue in the caller's transaction, claim, settle. */

export interface NewGraphInvitation {
  firmId: string;
  contactId: string;
  email: string;
  displayName: string | null;
  inviteRedirectUrl: string;
  requestedBy: string | null;
}

/** Written in the proposal's transaction. A live job for the contact already covers it: null. */
export async function insertGraphInvitation(
  tx: DbOrTx,
  job: NewGraphInvitation,
): Promise<{ id: string } | null> {
  const [row] = await tx
    .insert(entraInvitationJobs)
    .values(job)
    .onConflictDoNothing()
    .returning({ id: entraInvitationJobs.id });
  return row ?? null;
}

/** A job taken by one worker; `lease` is the exact `locked_until` it set, to guard settling. */
export interface ClaimedInvitation {
  id: string;
  firmId: string;
  contactId: string;
  email: string;
  displayName: string | null;
  inviteRedirectUrl: string;
  requestedBy: string | null;
  /** Attempts started, this one included. */
  attempts: number;
  lease: string;
}

interface ClaimedRow {
  id: string;
  firm_id: string;
  contact_id: string;
  email: string;
  display_name: string | null;
  invite_redirect_url: string;
  requested_by: string | null;
  attempts: number;
  lease: string;
}

/**
 * Takes up to `limit` due jobs: pending ones whose time has come, and `sending` ones whose
 * worker's lease ran out. SKIP LOCKED keeps concurrent workers on disjoint jobs; only the
 * database's clock is used.
 */
export async function claimDueInvitations(
  db: DbOrTx,
  limit: number,
  leaseMs: number,
): Promise<ClaimedInvitation[]> {
  const result = await db.execute(sql`
    with due as (
      select id from entra_invitation_jobs
      where (status = 'pending' and next_attempt_at <= now())
         or (status = 'sending' and locked_until <= now())
      order by next_attempt_at, created_at
      limit ${limit}
      for update skip locked
    )
    update entra_invitation_jobs as j
    set status = 'sending',
        attempts = j.attempts + 1,
        locked_until = now() + ${leaseMs}::double precision * interval '1 millisecond'
    from due
    where j.id = due.id
    returning j.id, j.firm_id, j.contact_id, j.email, j.display_name, j.invite_redirect_url,
              j.requested_by, j.attempts, j.locked_until::text as lease
  `);
  const rows = (result as unknown as { rows: ClaimedRow[] }).rows;
  return rows.map((r) => ({
    id: r.id,
    firmId: r.firm_id,
    contactId: r.contact_id,
    email: r.email,
    displayName: r.display_name,
    inviteRedirectUrl: r.invite_redirect_url,
    requestedBy: r.requested_by,
    attempts: Number(r.attempts),
    lease: r.lease,
  }));
}

const heldBy = (job: Pick<ClaimedInvitation, 'id' | 'lease'>) =>
  and(
    eq(entraInvitationJobs.id, job.id),
    eq(entraInvitationJobs.status, 'sending'),
    sql`${entraInvitationJobs.lockedUntil} = ${job.lease}::timestamptz`,
  );

export async function findContactState(db: DbOrTx, contactId: string) {
  const [row] = await db
    .select({ userId: contacts.userId, invitationState: contacts.invitationState })
    .from(contacts)
    .where(eq(contacts.id, contactId))
    .limit(1);
  return row;
}

/** The worker acts for nobody in particular: 'system', with the staff member who asked in details. */
async function recordSystemAudit(
  db: DbOrTx,
  job: ClaimedInvitation,
  action: 'invitation.sent' | 'invitation.failed',
  details: Record<string, unknown>,
) {
  await db.insert(auditEvents).values({
    firmId: job.firmId,
    actorType: 'system',
    actorId: null,
    action,
    targetType: 'contact',
    targetId: job.contactId,
    details: { channel: 'microsoft-graph', jobId: job.id, requestedBy: job.requestedBy, ...details },
  });
}

/**
 * Graph accepted the invitation: the job is done, the contact carries the guest's object id
 * (the future `oid`) and is `invited`, and the audit says so — all or nothing, and only while
 * this worker still holds the lease. Returns false when the lease was lost.
 */
export async function settleInvitationSent(
  db: Db,
  job: ClaimedInvitation,
  sent: { invitedUserId: string; status: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(entraInvitationJobs)
      .set({
        status: 'done',
        lockedUntil: null,
        lastError: null,
        invitedUserId: sent.invitedUserId,
        completedAt: sql`now()`,
      })
      .where(heldBy(job))
      .returning({ id: entraInvitationJobs.id });
    if (!done) return false;
    // A contact who signed in meanwhile keeps their binding and state.
    await tx
      .update(contacts)
      .set({
        externalId: sent.invitedUserId,
        invitationState: 'invited',
        invitationError: null,
        updatedAt: new Date(),
      })
      .where(and(eq(contacts.id, job.contactId), isNull(contacts.userId)));
    await recordSystemAudit(tx, job, 'invitation.sent', {
      invitedUserId: sent.invitedUserId,
      graphStatus: sent.status,
      attempts: job.attempts,
    });
    return true;
  });
}

/**
 * Refused for good (or out of attempts): the job is failed with Microsoft's answer, and, when
 * `contactError` is given, the contact is `failed` with the sentence the firm reads.
 */
export async function settleInvitationFailed(
  db: Db,
  job: ClaimedInvitation,
  outcome: { error: string; contactError: string | null },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [failed] = await tx
      .update(entraInvitationJobs)
      .set({ status: 'failed', lockedUntil: null, lastError: outcome.error, completedAt: sql`now()` })
      .where(heldBy(job))
      .returning({ id: entraInvitationJobs.id });
    if (!failed) return false;
    if (outcome.contactError !== null) {
      await tx
        .update(contacts)
        .set({ invitationState: 'failed', invitationError: outcome.contactError, updatedAt: new Date() })
        .where(and(eq(contacts.id, job.contactId), isNull(contacts.userId)));
    }
    await recordSystemAudit(tx, job, 'invitation.failed', { error: outcome.error, attempts: job.attempts });
    return true;
  });
}

/** Done without calling Graph (the contact is already bound): nothing to tell anyone. */
export async function settleInvitationSkipped(db: DbOrTx, job: ClaimedInvitation, reason: string) {
  const rows = await db
    .update(entraInvitationJobs)
    .set({ status: 'done', lockedUntil: null, lastError: reason, completedAt: sql`now()` })
    .where(heldBy(job))
    .returning({ id: entraInvitationJobs.id });
  return rows.length === 1;
}

/** Back to pending after `retryInMs` (Retry-After, or the backoff), with the error kept. */
export async function rescheduleInvitation(
  db: DbOrTx,
  job: ClaimedInvitation,
  outcome: { error: string; retryInMs: number },
) {
  const rows = await db
    .update(entraInvitationJobs)
    .set({
      status: 'pending',
      lockedUntil: null,
      lastError: outcome.error,
      nextAttemptAt: sql`now() + ${outcome.retryInMs}::double precision * interval '1 millisecond'`,
    })
    .where(heldBy(job))
    .returning({ id: entraInvitationJobs.id });
  return rows.length === 1;
}

/** Gives back a claimed job that was not tried (shutdown, lease budget spent): no attempt counted. */
export async function releaseInvitation(db: DbOrTx, job: ClaimedInvitation) {
  await db
    .update(entraInvitationJobs)
    .set({ status: 'pending', lockedUntil: null, attempts: sql`${entraInvitationJobs.attempts} - 1` })
    .where(heldBy(job));
}

export async function findGraphInvitation(db: DbOrTx, id: string) {
  const [row] = await db.select().from(entraInvitationJobs).where(eq(entraInvitationJobs.id, id));
  return row;
}
