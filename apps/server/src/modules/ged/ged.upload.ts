import type { Readable } from 'node:stream';
import type { ErrorCode } from '@passerelle/contracts/errors';
import { AppError } from '../../lib/errors.ts';
import type { BlobStore } from '../../lib/storage/blob-store.ts';
import { sanitizeFileName } from '../../lib/uploads/file-name.ts';
import { type IngestedUpload, ingestUpload } from '../../lib/uploads/ingest.ts';
import { extractPdfText } from './ged.text.ts';

/** One file part as @fastify/multipart's `request.parts()` yields it. */
export interface MultipartFilePart {
  type: 'file';
  file: Readable & { truncated?: boolean };
  filename: string;
  mimetype: string;
}
export type MultipartPart = MultipartFilePart | { type: 'field' };

export type PartOutcome<T> =
  | { name: string; ok: true; value: T }
  | { name: string; ok: false; error: { code: ErrorCode | string; message: string; status: number } };

export interface StoredUpload extends IngestedUpload {
  /** Text of a PDF for search, bounded; null otherwise. */
  text: string | null;
}

/**
 * Streams every file part of a multipart request, one after the other, into the blob store
 * (ingestUpload: type by content, name rules, size limit), then hands each stored blob to
 * `commit`, which writes the row in its own transaction. A refused part stores nothing and does
 * not stop the others; a broken request (client gone, truncated body) ends the loop with
 * UPLOAD_TRUNCATED. The blob is durable before its row exists: a crash between the two leaves an
 * orphan for the sweep, never a row without its bytes.
 */
export async function receiveParts<T>(
  store: BlobStore,
  parts: AsyncIterable<MultipartPart>,
  maxBytes: number,
  commit: (upload: StoredUpload) => Promise<T>,
): Promise<PartOutcome<T>[]> {
  const outcomes: PartOutcome<T>[] = [];
  const iterator = parts[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<MultipartPart>;
    try {
      next = await iterator.next();
    } catch (err) {
      outcomes.push({ name: '', ok: false, error: describe(toMultipartError(err)) });
      break;
    }
    if (next.done) break;
    const part = next.value;
    if (part.type !== 'file') continue;
    const name = displayName(part.filename);
    try {
      const ingested = await ingestUpload(store, part, { maxBytes });
      const text = await extractPdfText(store, ingested.key, ingested.detectedMime, ingested.size);
      outcomes.push({ name: ingested.displayName, ok: true, value: await commit({ ...ingested, text }) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.push({ name, ok: false, error: describe(err) });
      if (err.code === 'UPLOAD_TRUNCATED') break;
    }
  }
  if (outcomes.length === 0) throw new AppError('BAD_REQUEST', 'Aucun fichier reçu.');
  return outcomes;
}

const describe = (err: AppError) => ({ code: err.code, message: err.message, status: err.status });

/** The name shown in a refusal: never the raw claim (it may carry control characters). */
function displayName(claimed: string | undefined): string {
  try {
    return sanitizeFileName((claimed ?? '').slice(0, 1024));
  } catch {
    return 'document';
  }
}

function toMultipartError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 406 || status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  return new AppError('UPLOAD_TRUNCATED');
}

/**
 * HTTP status of a multipart upload: 201 when at least one file was stored, otherwise the
 * status of the first refusal (so a single hostile file answers its own 4xx).
 */
export function uploadStatus(outcomes: PartOutcome<unknown>[]): number {
  if (outcomes.some((o) => o.ok)) return 201;
  const first = outcomes.find((o) => !o.ok);
  return first && !first.ok ? first.error.status : 400;
}

export function firstError(outcomes: PartOutcome<unknown>[]) {
  const first = outcomes.find((o) => !o.ok);
  if (!first || first.ok || outcomes.some((o) => o.ok)) return undefined;
  return { code: String(first.error.code), message: first.error.message };
}

/** "12/03/2026", Paris time, as the duplicate messages show it. */
export const dateFr = (d: Date) =>
  d.toLocaleDateString('fr-FR', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
