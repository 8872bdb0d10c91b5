import { PassThrough, type Readable } from 'node:stream';
import { FecReader, type ReadFecOptions, type ReadFecResult } from '@passerelle/fec';
import { AppError } from '../../lib/errors.ts';
import { type BlobStore, BlobStoreError, type PutResult } from '../../lib/storage/blob-store.ts';

/** One file part of a multipart request, as @fastify/multipart hands it over. */
export interface FecUploadPart {
  file: Readable & { truncated?: boolean };
  filename?: string | undefined;
}

export interface ReceivedFec {
  result: ReadFecResult;
  /** The raw file in the blob store: accepted files only. */
  blob: PutResult | null;
  /** Bytes read from the part (all of them unless the reader stopped early). */
  bytesRead: number;
}

/**
 * Reads an uploaded FEC once, chunk by chunk, into both the reader and the blob store: the file is
 * never whole in memory. The blob store publishes a blob only when its source ends, so the raw
 * file is ended into the store only once the reader has accepted it; a refused file destroys
 * that source and nothing is stored. A structural error (binary file, unreadable header) stops
 * reading at once. Over `maxBytes`: PAYLOAD_TOO_LARGE; a client gone mid-file: UPLOAD_TRUNCATED.
 */
export async function receiveFec(
  store: BlobStore,
  part: FecUploadPart,
  options: { maxBytes: number; read: ReadFecOptions },
): Promise<ReceivedFec> {
  const source = part.file;
  const reader = new FecReader(options.read);
  const raw = new PassThrough();
  // The store reports its failures through `stored`; an error event left unheard would crash.
  raw.on('error', ignore);
  const stored = store.put(raw, { maxBytes: options.maxBytes });
  // Awaited below on every path; until then a rejection must not count as unhandled.
  stored.catch(ignore);
  let limitReached = false;
  const onLimit = () => {
    limitReached = true;
  };
  source.once('limit', onLimit);

  let bytesRead = 0;
  let result: ReadFecResult;
  try {
    const chunks = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch {
        throw new AppError('UPLOAD_TRUNCATED');
      }
      if (next.done) break;
      const chunk = next.value;
      bytesRead += chunk.length;
      if (bytesRead > options.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
      const goOn = reader.push(chunk);
      if (!raw.write(chunk)) await drained(raw);
      if (raw.destroyed) {
        // The store gave up (disk full, I/O error): its own error says why.
        await stored;
        throw new Error('the blob store stopped reading');
      }
      if (!goOn) break;
    }
    // busboy ends a part cut at the multipart fileSize limit normally, flagged as truncated.
    if (limitReached || source.truncated === true) throw new AppError('PAYLOAD_TOO_LARGE');
    result = reader.finish();
  } catch (err) {
    source.destroy();
    raw.destroy();
    await stored.catch(ignore);
    throw toUploadError(err);
  } finally {
    source.off('limit', onLimit);
  }

  if (result.report.status !== 'accepted') {
    if (!source.readableEnded) source.destroy();
    raw.destroy();
    await stored.catch(ignore);
    return { result, blob: null, bytesRead };
  }
  raw.end();
  try {
    return { result, blob: await stored, bytesRead };
  } catch (err) {
    throw toUploadError(err);
  }
}

function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function toUploadError(err: unknown): unknown {
  if (err instanceof BlobStoreError && err.code === 'TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  return err;
}

function ignore() {}
