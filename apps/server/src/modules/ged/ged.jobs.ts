import type { AppContext } from '../../context.ts';
import { sweepOrphans } from '../../lib/storage/orphan-sweep.ts';
import { blobReferenced } from './ged.repository.ts';

export const blobHousekeepingDefaults = {
  intervalMs: 60 * 60_000,
  /** Far above any upload-to-commit delay: a blob younger than this is never swept. */
  graceMs: 24 * 60 * 60_000,
  /** Temp files of interrupted writes: above the longest pause of a live upload. */
  tempMaxAgeMs: 6 * 60 * 60_000,
};

/**
 * Periodic blob housekeeping: temp files of interrupted writes, then blobs no row points to
 * (a crash between the blob and its row, a refused upload's deduplicated touch, purged rows).
 * The reference check covers every table that holds blob keys (GED versions and documents, FEC imports).
 */
export function createBlobHousekeeping(ctx: AppContext, options = blobHousekeepingDefaults) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function runOnce() {
    const temp = await ctx.blobs.cleanupTemp(options.tempMaxAgeMs);
    const report = await sweepOrphans(ctx.blobs, (key) => blobReferenced(ctx.db, key), {
      graceMs: options.graceMs,
    });
    if (temp > 0 || report.deleted.length > 0)
      ctx.log.info({ temp, deleted: report.deleted.length, scanned: report.scanned }, 'blob housekeeping');
    return { temp, report };
  }

  const tick = () => {
    if (running) return;
    running = runOnce()
      .then(() => undefined)
      .catch((err) => ctx.log.error({ err }, 'blob housekeeping failed'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    runOnce,
    start() {
      tick();
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
