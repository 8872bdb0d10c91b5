import type { AppContext } from '../../context.ts';
import type { MailModule } from '../mail/mail.module.ts';
import { newPiecesDigestMail } from './pieces.mails.ts';
import * as repo from './pieces.repository.ts';

/**
 * The firm hears of new pieces once per file, not once per piece: each run groups the pieces no
 * digest has covered yet by file, queues one mail per recipient and marks the pieces notified —
 * in one transaction, so a crash either sends and marks, or neither.
 */
export function createPiecesDigest(ctx: AppContext, mail: MailModule, options = { intervalMs: 60_000 }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runDigest(): Promise<number> {
    return ctx.db.transaction(async (tx) => {
      const claimed = await repo.claimUnnotified(tx, 2000);
      const byFile = new Map<string, typeof claimed>();
      for (const piece of claimed) byFile.set(piece.fileId, [...(byFile.get(piece.fileId) ?? []), piece]);
      let mails = 0;
      for (const [fileId, list] of byFile) {
        const first = list[0];
        if (!first) continue;
        const recipients = await repo.digestRecipients(tx, first.firmId, first.responsibleId);
        for (const to of recipients) {
          await mail.outbox.enqueue(
            tx,
            newPiecesDigestMail({
              firmId: first.firmId,
              to: to.email,
              firstName: to.firstName,
              fileCode: first.fileCode,
              fileName: first.fileName,
              pieces: list.map((p) => ({ name: p.name, depositedAt: p.depositedAt })),
              url: `${ctx.config.publicUrl}/pieces?fileId=${fileId}`,
            }),
          );
          mails++;
        }
        await repo.markNotified(
          tx,
          list.map((p) => p.id),
        );
      }
      return mails;
    });
  }

  const tick = () => {
    if (running) return;
    running = runDigest()
      .catch((err) => {
        ctx.log.error({ err }, 'pieces digest failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };

  return {
    runDigest,
    start() {
      timer ??= setInterval(tick, options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
