import type { FastifyBaseLogger } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/connection.ts';
import {
  type ClaimedMail,
  claimDueMails,
  markAttemptFailed,
  markSent,
  releaseMail,
} from './mail.repository.ts';

export interface OutboxWorkerOptions {
  /** How often the worker looks for due mail when nothing wakes it. */
  pollIntervalMs: number;
  /** Mails claimed per round. */
  batchSize: number;
  /** How long a claim is exclusive; a worker that dies mid-batch releases its mails this late. */
  leaseMs: number;
  /** Time one delivery may take (SMTP timeouts fit in it); a batch stops when its lease can't cover one more. */
  perMailBudgetMs: number;
  /** Attempts before a mail is marked failed for good. */
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
}

export const defaultOutboxWorkerOptions: OutboxWorkerOptions = {
  pollIntervalMs: 2_000,
  batchSize: 10,
  leaseMs: 5 * 60_000,
  perMailBudgetMs: 60_000,
  maxAttempts: 10,
  retryBaseMs: 30_000,
  retryCapMs: 3_600_000,
};

/** base · 2^(n-1), capped, then "equal jitter": between half and all of it, so retries spread out. */
export function retryDelayMs(
  attempts: number,
  options: Pick<OutboxWorkerOptions, 'retryBaseMs' | 'retryCapMs'>,
) {
  const exponential = Math.min(options.retryCapMs, options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/** The server refused the recipient for good (5xx on the envelope): retrying cannot help. */
function isPermanent(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  return e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 500;
}

function describe(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const parts = [e.code, e.responseCode, e.message ?? String(err)].filter((p) => p !== undefined && p !== '');
  return parts.join(' ').slice(0, 1000);
}

export interface OutboxWorker {
  deliverDue(): Promise<number>;
  start(): void;
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Drains the outbox: claims due mails with a lease, sends each through SMTP with its fixed
 * Message-ID, and settles it only while it still holds the lease. SMTP down: the mail goes back
 * to pending with a growing delay; never dropped. No transaction is held while sending.
 */
export function createOutboxWorker(deps: {
  db: Db;
  log: FastifyBaseLogger;
  from: string;
  transport: () => Promise<Transporter>;
  options: OutboxWorkerOptions;
}): OutboxWorker {
  const { db, log, options } = deps;
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let looping: Promise<void> | null = null;
  let wokenWhileLooping = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };

  async function deliverOne(mail: ClaimedMail): Promise<boolean> {
    if (mail.attempts > options.maxAttempts) {
      // Its earlier workers died mid-delivery too often: stop, keep it visible.
      await markAttemptFailed(db, mail, { error: 'delivery interrupted too many times', retryInMs: null });
      return false;
    }
    try {
      const transport = await deps.transport();
      await transport.sendMail({
        from: deps.from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        ...(mail.htmlBody ? { html: mail.htmlBody } : {}),
        // Fixed at enqueue: a retry after a lost acknowledgement is recognisably the same mail.
        messageId: mail.messageId,
        date: mail.createdAt,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
    } catch (err) {
      const finalAttempt = mail.attempts >= options.maxAttempts || isPermanent(err);
      const retryInMs = finalAttempt ? null : retryDelayMs(mail.attempts, options);
      log.warn(
        { err, mailId: mail.id, kind: mail.kind, attempts: mail.attempts, retryInMs },
        finalAttempt ? 'mail delivery failed for good' : 'mail delivery failed, will retry',
      );
      await markAttemptFailed(db, mail, { error: describe(err), retryInMs });
      return false;
    }
    if (!(await markSent(db, mail))) {
      log.warn({ mailId: mail.id }, 'mail delivered after its lease ran out; another worker owns it now');
      return false;
    }
    log.info({ mailId: mail.id, kind: mail.kind }, 'mail delivered');
    return true;
  }

  async function deliverBatch(batch: ClaimedMail[]): Promise<number> {
    // Local clock, durations only: leave room for one more delivery before the lease runs out.
    const deadline = Date.now() + options.leaseMs - options.perMailBudgetMs;
    let delivered = 0;
    for (const [index, mail] of batch.entries()) {
      if (stopping || Date.now() > deadline) {
        for (const rest of batch.slice(index)) await releaseMail(db, rest);
        break;
      }
      if (await deliverOne(mail)) delivered++;
    }
    return delivered;
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    // Bounded: mails that fail are rescheduled into the future, so rounds end anyway.
    for (let round = 0; round < 100 && !stopping; round++) {
      const batch = await claimDueMails(db, options.batchSize, options.leaseMs);
      if (batch.length === 0) break;
      delivered += await deliverBatch(batch);
      if (batch.length < options.batchSize) break;
    }
    return delivered;
  }

  function tick(): void {
    if (stopping) return;
    if (looping) {
      wokenWhileLooping = true;
      return;
    }
    looping = track(
      (async () => {
        do {
          wokenWhileLooping = false;
          try {
            await drain();
          } catch (err) {
            log.error({ err }, 'mail outbox round failed; next poll retries');
          }
        } while (wokenWhileLooping && !stopping);
      })(),
    ).finally(() => {
      looping = null;
    });
  }

  return {
    deliverDue: () => track(drain()),
    start() {
      if (timer || stopping) return;
      timer = setInterval(tick, options.pollIntervalMs);
      timer.unref();
      tick();
    },
    poke() {
      if (timer) tick();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      // The mail being sent finishes and is settled; the rest of its batch is released.
      await Promise.allSettled([...inFlight]);
    },
  };
}
