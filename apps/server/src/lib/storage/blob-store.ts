import type { Readable } from 'node:stream';

/**
 * Content-addressed blob storage: a blob's key is the SHA-256 of its bytes (64 lowercase hex).
 * A blob is either fully stored and durable, or absent; identical content is stored once.
 * The database rows that point at blobs are owned by the feature modules, never by the store.
 */
export interface BlobStore {
  /**
   * Streams `source` into the store while hashing it. Nothing is visible under the content address
   * until the whole stream has been written and made durable. Rejects (leaving nothing behind) when
   * the source errors, or with `BlobStoreError('TOO_LARGE')` as soon as more than `maxBytes` arrive,
   * in which case the source is destroyed (reading stops). `created: false` means the content was
   * already stored (deduplicated).
   */
  put(source: Readable, opts: PutOptions): Promise<PutResult>;
  /** Opens a blob, or a byte range of it. Rejects with NOT_FOUND / INVALID_RANGE before any byte flows. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<BlobStat | undefined>;
  has(key: string): Promise<boolean>;
  /**
   * Deletes a blob; false when it did not exist (or was kept by `unmodifiedSince`).
   * `unmodifiedSince` (epoch ms) keeps a blob touched after that instant: `put` refreshes the
   * modification time of a deduplicated blob, so a sweep never removes content an upload has
   * just been promised.
   */
  delete(key: string, opts?: { unmodifiedSince?: number }): Promise<boolean>;
  /** Every stored key, in no particular order (for the orphan sweep). */
  list(): AsyncIterable<string>;
  /** Removes temporary files of interrupted writes not touched for `olderThanMs`; returns how many. */
  cleanupTemp(olderThanMs: number): Promise<number>;
}

export interface PutOptions {
  maxBytes: number;
}

export interface PutResult {
  key: string;
  sha256: string;
  size: number;
  created: boolean;
}

export interface BlobStat {
  key: string;
  size: number;
  /** Last write or deduplicated put (epoch ms): the orphan sweep's grace period counts from here. */
  modifiedAt: number;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export type BlobStoreErrorCode = 'INVALID_KEY' | 'TOO_LARGE' | 'NOT_FOUND' | 'INVALID_RANGE';

/** Storage-level failure; the upload pipeline maps it to an AppError code. */
export class BlobStoreError extends Error {
  constructor(
    readonly code: BlobStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BlobStoreError';
  }
}

const keyPattern = /^[0-9a-f]{64}$/;

export function isBlobKey(value: unknown): value is string {
  return typeof value === 'string' && keyPattern.test(value);
}

/** Keys come from URLs and database rows: never let one become a path without this check. */
export function assertBlobKey(value: unknown): asserts value is string {
  if (!isBlobKey(value)) throw new BlobStoreError('INVALID_KEY', 'invalid blob key');
}
