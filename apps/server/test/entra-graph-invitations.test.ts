import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  contacts,
  entraInvitationJobs,
  identityProviders,
  invitations,
  outboxMails,
  users,
} from '../src/db/schema/index.ts';
import { createGraphClient } from '../src/modules/identity/entra/graph-client.ts';
import {
  createGraphInvitationWorker,
  type GraphInvitationWorkerOptions,
  outOfAttemptsMessage,
} from '../src/modules/identity/entra/graph-invitation-worker.ts';
import { queueGuestInvitation } from '../src/modules/identity/entra/guest-invitation.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createContact, createFile, createFirm, signInAsStaff } from './support/factories.ts';
import { type FakeGraphServer, startFakeGraphServer } from './support/fake-graph-server.ts';

/**
 * Guest invitations through Microsoft Graph, against a local fake that answers as Graph's
 * documentation shows: queued in the proposal's transaction, sent by the worker, each answer
 * of Graph leading to its job and contact state.
 */
let fake: FakeGraphServer;
let t: TestApp;
let firm: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof signInAsStaff>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const workerWith = (options: Partial<GraphInvitationWorkerOptions> = {}) =>
  createGraphInvitationWorker({
    db: t.ctx.db,
    log: t.ctx.log,
    graph: createGraphClient({ loginBaseUrl: fake.url, graphBaseUrl: fake.url, timeoutMs: 5_000 }),
    options: { retryBaseMs: 300, retryCapMs: 600, ...options },
  });

async function contactWithJob(email = `guest-${Math.random().toString(36).slice(2, 8)}@exemple.fr`) {
  const contact = await createContact(t.ctx.db, firm.id, { email, firstName: 'Camille', lastName: 'Durand' });
  const job = await queueGuestInvitation(t.ctx.db, {
    publicUrl: t.config.publicUrl,
    firm,
    contact,
    requestedBy: admin.staff.id,
  });
  if (!job) throw new Error('job not queued');
  return { contact, jobId: job.id };
}

const jobOf = async (id: string) => {
  const [row] = await t.ctx.db.select().from(entraInvitationJobs).where(eq(entraInvitationJobs.id, id));
  if (!row) throw new Error('job missing');
  return row;
};
const contactOf = async (id: string) => {
  const [row] = await t.ctx.db.select().from(contacts).where(eq(contacts.id, id));
  if (!row) throw new Error('contact missing');
  return row;
};
/** Seconds from the database's now() to the job's next attempt. */
const secondsUntilNextAttempt = async (id: string) => {
  const result = await t.ctx.db.execute(
    sql`select extract(epoch from (next_attempt_at - now()))::float8 as s from entra_invitation_jobs where id = ${id}`,
  );
  return Number((result as unknown as { rows: { s: number }[] }).rows[0]?.s);
};
const auditsFor = (contactId: string) =>
  t.ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'contact'), eq(auditEvents.targetId, contactId)));

beforeAll(async () => {
  fake = await startFakeGraphServer();
  t = await buildTestApp({ ENTRA_LOGIN_URL: fake.url, MICROSOFT_GRAPH_URL: fake.url });
  firm = await createFirm(t.ctx.db, { name: 'Cabinet Entra' });
  admin = await signInAsStaff(t, firm.id);
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/firm/identity-provider',
    headers: admin.headers,
    payload: {
      kind: 'entra',
      tenantId: fake.tenantId,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

describe('proposing a service to a contact of an Entra firm', () => {
  it('queues one Graph invitation in the proposal’s transaction, and neither an invitation link nor its mail', async () => {
    const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
      t.app.inject({ method, url, headers: admin.headers, payload });
    const fileId = (await createFile(t.ctx.db, firm.id)).id;
    const secondFileId = (await createFile(t.ctx.db, firm.id)).id;
    for (const id of [fileId, secondFileId])
      expect((await call('PUT', `/api/files/${id}/offer`, { offerCode: 'start' })).statusCode).toBe(200);
    const contactRes = await call('POST', '/api/contacts', {
      lastName: 'Lefèvre',
      firstName: 'Jeanne',
      email: 'jeanne.entra@exemple.fr',
    });
    const contactId = contactRes.json().id as string;
    for (const id of [fileId, secondFileId])
      expect((await call('POST', `/api/contacts/${contactId}/files`, { fileId: id })).statusCode).toBe(201);

    const proposed = await call('POST', `/api/contacts/${contactId}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    // Refused (already proposed): its transaction rolls back, no second job.
    const again = await call('POST', `/api/contacts/${contactId}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(again.statusCode).toBe(409);
    // Another file while the invitation is still on its way: the live job covers it.
    const second = await call('POST', `/api/contacts/${contactId}/files/${secondFileId}/services`, {
      offerCode: 'start',
    });
    expect(second.statusCode).toBe(201);

    const jobs = await t.ctx.db
      .select()
      .from(entraInvitationJobs)
      .where(eq(entraInvitationJobs.contactId, contactId));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      status: 'pending',
      email: 'jeanne.entra@exemple.fr',
      displayName: 'Jeanne Lefèvre',
      inviteRedirectUrl: `${t.config.publicUrl}/auth/login?firm=${firm.slug}&first=1&returnTo=%2Fespace`,
      requestedBy: admin.staff.id,
    });
    expect(
      await t.ctx.db.select().from(invitations).where(eq(invitations.contactId, contactId)),
    ).toHaveLength(0);
    const mails = await t.ctx.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.toAddress, 'jeanne.entra@exemple.fr'));
    expect(mails.map((m) => m.kind)).toEqual(['client.access', 'client.access']);
    expect((await contactOf(contactId)).invitationState).toBe('none');

    fake.invitedUserIds = ['3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f'];
    expect(await workerWith().processDue()).toBe(1);

    expect(fake.tokenRequests).toEqual([
      {
        grantType: 'client_credentials',
        clientId: fake.clientId,
        scope: 'https://graph.microsoft.com/.default',
      },
    ]);
    expect(fake.invitationRequests).toHaveLength(1);
    expect(fake.invitationRequests[0]?.authorization).toMatch(/^Bearer \S+$/);
    expect(fake.invitationRequests[0]?.body).toEqual({
      invitedUserEmailAddress: 'jeanne.entra@exemple.fr',
      invitedUserDisplayName: 'Jeanne Lefèvre',
      inviteRedirectUrl: `${t.config.publicUrl}/auth/login?firm=${firm.slug}&first=1&returnTo=%2Fespace`,
      sendInvitationMessage: true,
      invitedUserMessageInfo: { messageLanguage: 'fr-FR' },
    });
    const job = await jobOf(jobs[0]?.id ?? '');
    expect(job).toMatchObject({
      status: 'done',
      attempts: 1,
      invitedUserId: '3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f',
      lastError: null,
    });
    expect(await contactOf(contactId)).toMatchObject({
      externalId: '3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f',
      invitationState: 'invited',
      invitationError: null,
    });
    const audits = await auditsFor(contactId);
    const sent = audits.filter((a) => a.action === 'invitation.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ actorType: 'system', firmId: firm.id });
    expect(sent[0]?.details).toMatchObject({
      channel: 'microsoft-graph',
      invitedUserId: '3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f',
      graphStatus: 'PendingAcceptance',
      requestedBy: admin.staff.id,
    });
    // Done is done: nothing is sent twice.
    expect(await workerWith().processDue()).toBe(0);
    expect(fake.invitationRequests).toHaveLength(1);
  });

  it('queues nothing for a firm on the embedded provider', async () => {
    const other = await createFirm(t.ctx.db);
    const otherAdmin = await signInAsStaff(t, other.id);
    const fileId = (await createFile(t.ctx.db, other.id)).id;
    const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
      t.app.inject({ method, url, headers: otherAdmin.headers, payload });
    await call('PUT', `/api/files/${fileId}/offer`, { offerCode: 'start' });
    const contactId = (
      await call('POST', '/api/contacts', { lastName: 'A', firstName: 'B', email: 'b@exemple.fr' })
    ).json().id as string;
    await call('POST', `/api/contacts/${contactId}/files`, { fileId });
    expect(
      (await call('POST', `/api/contacts/${contactId}/files/${fileId}/services`, { offerCode: 'start' }))
        .statusCode,
    ).toBe(201);
    expect(
      await t.ctx.db.select().from(entraInvitationJobs).where(eq(entraInvitationJobs.contactId, contactId)),
    ).toHaveLength(0);
    expect(
      await t.ctx.db.select().from(invitations).where(eq(invitations.contactId, contactId)),
    ).toHaveLength(1);
  });
});

describe('the Graph invitation worker', () => {
  it('caches the app-only token until shortly before it expires', async () => {
    fake.tokenExpiresIn = 2;
    try {
      const worker = workerWith();
      await contactWithJob();
      await worker.processDue();
      await contactWithJob();
      await worker.processDue();
      expect(fake.invitationRequests).toHaveLength(2);
      expect(fake.tokenRequests).toHaveLength(1);
      // A 2 s token is kept for half its life: past that, a new one is asked for.
      await sleep(1_100);
      await contactWithJob();
      await worker.processDue();
      expect(fake.tokenRequests).toHaveLength(2);
    } finally {
      fake.tokenExpiresIn = 3599;
    }
  });

  it('429: waits exactly the Retry-After of Graph, then sends', async () => {
    const worker = workerWith();
    const slow = await contactWithJob();
    fake.invitationReplies = [{ throttled: '30' }];
    expect(await worker.processDue()).toBe(0);
    const waiting = await jobOf(slow.jobId);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting.lastError).toContain('HTTP 429 TooManyRequests');
    const delay = await secondsUntilNextAttempt(slow.jobId);
    expect(delay).toBeGreaterThan(28);
    expect(delay).toBeLessThanOrEqual(30);
    expect((await contactOf(slow.contact.id)).invitationState).toBe('none');

    const quick = await contactWithJob();
    fake.invitationReplies = [{ throttled: '1' }];
    await worker.processDue();
    expect((await jobOf(quick.jobId)).status).toBe('pending');
    // Not due yet: Graph is not called.
    await worker.processDue();
    expect(fake.invitationRequests).toHaveLength(2);
    await sleep(1_200);
    expect(await worker.processDue()).toBe(1);
    expect(await jobOf(quick.jobId)).toMatchObject({ status: 'done', attempts: 2 });
    expect((await contactOf(quick.contact.id)).invitationState).toBe('invited');
    expect(fake.invitationRequests).toHaveLength(3);
    // The 30 s one is still waiting; it is settled here so that it does not wake up in a later test.
    expect((await jobOf(slow.jobId)).status).toBe('pending');
    await t.ctx.db
      .update(entraInvitationJobs)
      .set({ status: 'failed', lastError: 'test cleanup' })
      .where(eq(entraInvitationJobs.id, slow.jobId));
  });

  it('5xx: retries with a growing, jittered delay, and gives up after the last attempt', async () => {
    const worker = workerWith({ maxAttempts: 3 });
    const { contact, jobId } = await contactWithJob();
    fake.invitationReplies = ['server_error'];
    await worker.processDue();
    const first = await jobOf(jobId);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.lastError).toContain('HTTP 500');
    const delay = await secondsUntilNextAttempt(jobId);
    expect(delay).toBeGreaterThan(0.1);
    expect(delay).toBeLessThanOrEqual(0.3);
    await sleep(350);
    expect(await worker.processDue()).toBe(1);
    expect(await jobOf(jobId)).toMatchObject({ status: 'done', attempts: 2 });
    expect((await contactOf(contact.id)).invitationState).toBe('invited');

    const doomed = await contactWithJob();
    fake.invitationReplies = ['server_error', 'server_error', 'server_error'];
    for (let i = 0; i < 3; i++) {
      await sleep(650);
      await worker.processDue();
    }
    expect(await jobOf(doomed.jobId)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await contactOf(doomed.contact.id)).toMatchObject({
      invitationState: 'failed',
      invitationError: outOfAttemptsMessage(3),
    });
    expect((await auditsFor(doomed.contact.id)).map((a) => a.action)).toEqual(['invitation.failed']);
  });

  it('403 Authorization_RequestDenied: the contact fails with a clear French reason, never retried', async () => {
    const worker = workerWith();
    const { contact, jobId } = await contactWithJob();
    fake.invitationReplies = ['forbidden'];
    expect(await worker.processDue()).toBe(0);
    const job = await jobOf(jobId);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.lastError).toContain('HTTP 403 Authorization_RequestDenied');
    const failed = await contactOf(contact.id);
    expect(failed.invitationState).toBe('failed');
    expect(failed.invitationError).toMatch(
      /^Le tenant Microsoft du cabinet n’autorise pas l’invitation d’invités/,
    );
    expect(failed.invitationError).toContain('User.Invite.All');
    expect(failed.invitationError).toContain('Authorization_RequestDenied');
    const audits = await auditsFor(contact.id);
    expect(audits.map((a) => a.action)).toEqual(['invitation.failed']);
    expect(audits[0]?.actorType).toBe('system');
    await sleep(700);
    await worker.processDue();
    expect(fake.invitationRequests).toHaveLength(1);
  });

  it('400 BadRequest: the address is refused for good', async () => {
    const { contact, jobId } = await contactWithJob('adresse.refusee@exemple.fr');
    fake.invitationReplies = ['bad_address'];
    await workerWith().processDue();
    expect((await jobOf(jobId)).status).toBe('failed');
    const failed = await contactOf(contact.id);
    expect(failed.invitationState).toBe('failed');
    expect(failed.invitationError).toMatch(/^Adresse e-mail refusée par Microsoft/);
    expect(failed.invitationError).toContain('BadRequest');
  });

  it('401 at the token endpoint (wrong secret): failed with a clear message, Graph never called', async () => {
    const { contact, jobId } = await contactWithJob();
    await t.ctx.db
      .update(identityProviders)
      .set({ clientSecret: 'secret-revoque' })
      .where(eq(identityProviders.firmId, firm.id));
    try {
      await workerWith().processDue();
    } finally {
      await t.ctx.db
        .update(identityProviders)
        .set({ clientSecret: fake.clientSecret })
        .where(eq(identityProviders.firmId, firm.id));
    }
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.invitationRequests).toHaveLength(0);
    const job = await jobOf(jobId);
    expect(job.status).toBe('failed');
    expect(job.lastError).toContain('HTTP 401 invalid_client: AADSTS7000215');
    const failed = await contactOf(contact.id);
    expect(failed.invitationState).toBe('failed');
    expect(failed.invitationError).toMatch(/^Microsoft a refusé la connexion de l’application Passerelle/);
    expect(failed.invitationError).toContain('secret client');
  });

  it('401 from Graph (token refused): forgets the token and retries with a new one', async () => {
    const worker = workerWith();
    const { jobId } = await contactWithJob();
    fake.invitationReplies = ['token_rejected'];
    await worker.processDue();
    expect(await jobOf(jobId)).toMatchObject({ status: 'pending', attempts: 1 });
    await sleep(350);
    await worker.processDue();
    expect(await jobOf(jobId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('takes over a job whose worker died mid-call, once its lease ran out', async () => {
    const { jobId } = await contactWithJob();
    await t.ctx.db
      .update(entraInvitationJobs)
      .set({ status: 'sending', attempts: 1, lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(entraInvitationJobs.id, jobId));
    expect(await workerWith().processDue()).toBe(1);
    expect(await jobOf(jobId)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('two workers at once send each invitation once (SKIP LOCKED)', async () => {
    const queued = await Promise.all([
      contactWithJob(),
      contactWithJob(),
      contactWithJob(),
      contactWithJob(),
    ]);
    const [a, b] = [workerWith({ batchSize: 1 }), workerWith({ batchSize: 1 })];
    const sent = (await Promise.all([a.processDue(), b.processDue()])).reduce((x, y) => x + y, 0);
    expect(sent).toBe(4);
    expect(fake.invitationRequests).toHaveLength(4);
    for (const { jobId } of queued) expect((await jobOf(jobId)).status).toBe('done');
  });

  it('does not invite a contact who signed in meanwhile', async () => {
    const { contact, jobId } = await contactWithJob();
    const [user] = await t.ctx.db
      .insert(users)
      .values({ issuer: fake.issuer, subject: crypto.randomUUID() })
      .returning();
    await t.ctx.db.update(contacts).set({ userId: user?.id }).where(eq(contacts.id, contact.id));
    await workerWith().processDue();
    expect((await jobOf(jobId)).status).toBe('done');
    expect(fake.invitationRequests).toHaveLength(0);
  });
});
