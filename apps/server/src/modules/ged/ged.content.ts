import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import type { BlobStore } from '../../lib/storage/blob-store.ts';
import { contentDispositionAttachment } from '../../lib/uploads/file-name.ts';

/** Only these render inline; anything else is always a download, whatever the caller asks. */
export function mayRenderInline(mime: string): boolean {
  return mime === 'application/pdf' || /^image\/(jpeg|png|webp|gif|heic|heif|tiff)$/.test(mime);
}

export type ByteRangeRequest = { start: number; end: number } | 'none' | 'unsatisfiable';

/** One `bytes=` range (the viewers we serve ask for one); several ranges are served whole. */
export function parseRange(header: string | undefined, size: number): ByteRangeRequest {
  if (header === undefined) return 'none';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return 'none';
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size)
    return 'unsatisfiable';
  return { start, end };
}

/** Should this request leave an audit entry? A viewer's follow-up range requests do not. */
export function isFirstRead(request: FastifyRequest): boolean {
  const range = request.headers.range;
  return range === undefined || /^bytes=0-/.test(range.trim());
}

/**
 * Sends a stored document: the recorded (detected) type, nosniff, a safe Content-Disposition,
 * one byte range when asked, and a strict policy so that a previewed file can script nothing.
 */
export async function sendDocument(
  store: BlobStore,
  request: FastifyRequest,
  reply: FastifyReply,
  doc: { blobKey: string; mime: string; size: number; name: string; sha256: string },
  disposition: 'inline' | 'attachment',
) {
  const range = parseRange(request.headers.range, doc.size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${doc.size}`);
    throw new AppError('RANGE_NOT_SATISFIABLE');
  }
  const inline = disposition === 'inline' && mayRenderInline(doc.mime);
  const attachment = contentDispositionAttachment(doc.name);
  reply
    .header('content-type', doc.mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', inline ? attachment.replace(/^attachment/, 'inline') : attachment)
    .header('accept-ranges', 'bytes')
    .header('etag', `"${doc.sha256}"`)
    .header('cache-control', 'private, no-cache')
    // The app previews PDFs in a frame of its own pages; nothing else may frame or run anything.
    .header(
      'content-security-policy',
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    )
    .header('x-frame-options', 'SAMEORIGIN');

  if (range === 'none') {
    reply.header('content-length', String(doc.size));
    return reply.send(await store.get(doc.blobKey));
  }
  reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${doc.size}`)
    .header('content-length', String(range.end - range.start + 1));
  return reply.send(await store.get(doc.blobKey, range));
}
