import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../db/connection.ts';
import { findIdentityProvider } from '../../firm-settings/identity-provider.repository.ts';
import { retryDelayMs } from '../../mail/outbox-worker.ts';
import { type EntraAppCredentials, type GraphClient, GraphError } from './graph-client.ts';
import {
  type ClaimedInvitation,
  claimDueInvitations,
  findContactState,
  releaseInvitation,
  rescheduleInvitation,
  settleInvitationFailed,
  settleInvitationSent,
  settleInvitationSkipped,
} from './graph-invitations.repository.ts';

export interface GraphInvitationWorkerOptions {
  /** How often the worker looks for due jobs. */
  pollIntervalMs: number;
  batchSize: number;
  /** How long a claim is exclusive; a worker that dies mid-batch gives its jobs back this late. */
  leaseMs: number;
  /** Time one job may take (token + invitation, each under the client's timeout). */
  perJobBudgetMs: number;
  /** Attempts (throttled ones included) before the invitation is given up. */
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
}

export const defaultGraphInvitationWorkerOptions: GraphInvitationWorkerOptions = {
  pollIntervalMs: 2_000,
  batchSize: 10,
  leaseMs: 5 * 60_000,
  perJobBudgetMs: 60_000,
  maxAttempts: 12,
  retryBaseMs: 30_000,
  retryCapMs: 3_600_000,
};

export const outOfAttemptsMessage = (attempts: number) =>
  `Microsoft Graph n’a pas pu traiter l’invitation après ${attempts} tentatives : elle est abandonnée. Proposez à nouveau le service pour réessayer.`;

export const providerChangedMessage =
  'Le cabinet n’utilise plus Microsoft Entra ID (ou ses paramètres sont incomplets) : invitation abandonnée.';

export interface GraphInvitationWorker {
  /** Processes what is due now; returns how many invitations Graph accepted. Tests drive it. */
  processDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Sends the guest invitations queued by service proposals, like the mail outbox: claim with a
 * lease (SKIP LOCKED), call Graph with no transaction open, settle only while holding the lease.
 * 429 waits for Retry-After, 5xx and network errors back off, refusals fail at once.
 */
export function createGraphInvitationWorker(deps: {
  db: Db;
  log: FastifyBaseLogger;
  graph: GraphClient;
  options?: Partial<GraphInvitationWorkerOptions>;
}): GraphInvitationWorker {
  const { db, log, graph } = deps;
  const options = { ...defaultGraphInvitationWorkerOptions, ...deps.options };
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let looping: Promise<unknown> | null = null;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };

  async function credentialsOf(firmId: string): Promise<EntraAppCredentials | null> {
    const provider = await findIdentityProvider(db, firmId);
    if (provider?.kind !== 'entra' || !provider.tenantId || !provider.clientId || !provider.clientSecret)
      return null;
    return { tenantId: provider.tenantId, clientId: provider.clientId, clientSecret: provider.clientSecret };
  }

  async function retryLater(job: ClaimedInvitation, detail: string, retryAfterMs: number | null) {
    if (job.attempts >= options.maxAttempts) {
      log.warn({ jobId: job.id, attempts: job.attempts, detail }, 'graph invitation given up');
      await settleInvitationFailed(db, job, {
        error: detail,
        contactError: outOfAttemptsMessage(job.attempts),
      });
      return;
    }
    const retryInMs = retryAfterMs ?? retryDelayMs(job.attempts, options);
    log.info(
      { jobId: job.id, attempts: job.attempts, retryInMs, detail },
      'graph invitation will be retried',
    );
    await rescheduleInvitation(db, job, { error: detail, retryInMs });
  }

  async function processOne(job: ClaimedInvitation): Promise<boolean> {
    const contact = await findContactState(db, job.contactId);
    if (!contact || contact.userId !== null) {
      await settleInvitationSkipped(db, job, 'contact already signed in');
      return false;
    }
    const credentials = await credentialsOf(job.firmId);
    if (!credentials) {
      await settleInvitationFailed(db, job, {
        error: 'firm has no entra provider',
        contactError: providerChangedMessage,
      });
      return false;
    }
    try {
      const sent = await graph.inviteGuest(credentials, {
        email: job.email,
        displayName: job.displayName,
        redirectUrl: job.inviteRedirectUrl,
      });
      if (!(await settleInvitationSent(db, job, sent))) {
        log.warn({ jobId: job.id }, 'graph invitation sent after its lease ran out; another worker owns it');
        return false;
      }
      log.info({ jobId: job.id, status: sent.status }, 'graph invitation sent');
      return true;
    } catch (err) {
      if (err instanceof GraphError) {
        const failure = err.failure;
        if (failure.kind === 'retry') {
          await retryLater(job, failure.detail, failure.retryAfterMs);
        } else {
          log.warn(
            { jobId: job.id, reason: failure.reason, detail: failure.detail },
            'graph invitation refused',
          );
          await settleInvitationFailed(db, job, {
            error: failure.detail,
            contactError: `${failure.message} (Microsoft : ${failure.detail})`.slice(0, 2000),
          });
        }
        return false;
      }
      log.error({ err, jobId: job.id }, 'graph invitation failed unexpectedly');
      await retryLater(job, `internal: ${(err as Error).message}`.slice(0, 1000), null);
      return false;
    }
  }

  async function processBatch(batch: ClaimedInvitation[]): Promise<number> {
    const deadline = Date.now() + options.leaseMs - options.perJobBudgetMs;
    let sent = 0;
    for (const [index, job] of batch.entries()) {
      if (stopping || Date.now() > deadline) {
        for (const rest of batch.slice(index)) await releaseInvitation(db, rest);
        break;
      }
      if (await processOne(job)) sent++;
    }
    return sent;
  }

  async function drain(): Promise<number> {
    let sent = 0;
    for (let round = 0; round < 100 && !stopping; round++) {
      const batch = await claimDueInvitations(db, options.batchSize, options.leaseMs);
      if (batch.length === 0) break;
      sent += await processBatch(batch);
      if (batch.length < options.batchSize) break;
    }
    return sent;
  }

  function tick() {
    if (stopping || looping) return;
    looping = track(
      drain()
        .catch((err) => log.error({ err }, 'graph invitation round failed; next poll retries'))
        .finally(() => {
          looping = null;
        }),
    );
  }

  return {
    processDue: () => track(drain()),
    start() {
      if (timer || stopping) return;
      timer = setInterval(tick, options.pollIntervalMs);
      timer.unref();
      tick();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([...inFlight]);
    },
  };
}
