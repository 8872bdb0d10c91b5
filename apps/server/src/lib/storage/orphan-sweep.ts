import type { BlobStore } from './blob-store.ts';

export interface SweepOptions {
  /**
   * A blob written or deduplicated less than this long ago is kept even if no row points to it:
   * an upload writes its blob first and commits its row afterwards. Choose it far above the
   * longest upload-to-commit delay (hours, not seconds).
   */
  graceMs: number;
  now?: () => number;
}

export interface SweepReport {
  scanned: number;
  deleted: string[];
  referenced: number;
  withinGrace: number;
}

/**
 * Deletes blobs that no row references and that are older than the grace period.
 * Order matters: age first (cheap), then the reference check, then a delete that keeps the
 * blob if a put touched it meanwhile (see BlobStore.delete `unmodifiedSince`).
 */
export async function sweepOrphans(
  store: BlobStore,
  isReferenced: (key: string) => Promise<boolean>,
  { graceMs, now = Date.now }: SweepOptions,
): Promise<SweepReport> {
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new TypeError('graceMs must be a non-negative number');
  const cutoff = now() - graceMs;
  const report: SweepReport = { scanned: 0, deleted: [], referenced: 0, withinGrace: 0 };
  for await (const key of store.list()) {
    report.scanned++;
    const stat = await store.stat(key);
    if (stat === undefined) continue;
    if (stat.modifiedAt > cutoff) {
      report.withinGrace++;
      continue;
    }
    if (await isReferenced(key)) {
      report.referenced++;
      continue;
    }
    if (await store.delete(key, { unmodifiedSince: cutoff })) report.deleted.push(key);
    else report.withinGrace++;
  }
  return report;
}
