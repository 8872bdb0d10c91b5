import { Readable, Transform } from 'node:stream';
import { AppError } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { BlobStoreError } from '../storage/blob-store.ts';
import { claimedNameProblem, sanitizeFileName, splitExtension } from './file-name.ts';
import {
  containsNul,
  declaredMimeBelongs,
  detectFileKind,
  extensionBelongs,
  type FileKind,
  fileKinds,
  mimeFor,
} from './file-types.ts';
import { peekHead, SourceFailedError } from './peek-head.ts';

/** What file-type needs for nearly every format. */
export const sniffBytes = 4100;
/** How far to look into a ZIP for the entry that says docx/xlsx/odt/ods (bounded memory). */
export const zipSniffBytes = 1024 * 1024;

/**
 * One file part of an upload, e.g. the `MultipartFile` of @fastify/multipart: its busboy stream
 * sets `truncated` and emits 'limit' when the plugin's fileSize limit cuts the file.
 */
export interface UploadPart {
  file: Readable & { truncated?: boolean };
  filename?: string | undefined;
  mimetype?: string | undefined;
}

export interface IngestLimits {
  maxBytes: number;
}

export interface IngestedUpload {
  key: string;
  sha256: string;
  size: number;
  detectedMime: string;
  kind: FileKind;
  /** Lower-case extension: the claimed one when it belongs to the detected kind, else the kind's own. */
  ext: string;
  /** For display and downloads only, never a path. */
  displayName: string;
  created: boolean;
}

/**
 * Streams one uploaded file into the blob store, or refuses it with a stable code and stores
 * nothing: FILE_NAME_INVALID, FILE_EMPTY, PAYLOAD_TOO_LARGE, FILE_TYPE_REFUSED,
 * FILE_TYPE_MISMATCH, UPLOAD_TRUNCATED. Only the first bytes are held in memory (to detect the
 * type); on refusal the part's stream is destroyed, so reading stops.
 * The caller records the row afterwards; a blob whose row never comes is an orphan for the sweep.
 */
export async function ingestUpload(
  store: BlobStore,
  part: UploadPart,
  limits: IngestLimits,
): Promise<IngestedUpload> {
  const source = part.file;
  // A source error must never become an uncaught exception, whatever stage we are in.
  source.on('error', ignore);
  try {
    const claimedName = part.filename ?? '';
    if (claimedNameProblem(claimedName) !== undefined) throw new AppError('FILE_NAME_INVALID');

    let { head, ended } = await peekHead(source, sniffBytes);
    checkSize(part, head, limits);
    if (ended && head.length === 0) throw new AppError('FILE_EMPTY');

    let detection = await detectFileKind(head, ended);
    if (detection.verdict === 'need-more') {
      ({ head, ended } = await peekHead(source, zipSniffBytes));
      checkSize(part, head, limits);
      detection = await detectFileKind(head, true);
    }
    if (detection.verdict !== 'accepted') throw new AppError('FILE_TYPE_REFUSED');

    const { kind } = detection;
    // The extension is judged on the name as it will be shown ("x.pdf." or "x.pdf\u200B" show as x.pdf).
    const shownName = sanitizeFileName(claimedName);
    const { ext: claimedExt } = splitExtension(shownName);
    if (claimedExt !== undefined && !extensionBelongs(kind, claimedExt))
      throw new AppError('FILE_TYPE_MISMATCH');
    if (!declaredMimeBelongs(kind, part.mimetype)) throw new AppError('FILE_TYPE_MISMATCH');
    const ext = claimedExt ?? (fileKinds[kind].extensions[0] as string);

    const textual = (kind === 'text' || kind === 'xml') && !containsNul(head);
    const body = ended ? Readable.from([head]) : source;
    const guarded = guard(body, part, textual);
    const stored = await store.put(guarded, { maxBytes: limits.maxBytes });
    return {
      key: stored.key,
      sha256: stored.sha256,
      size: stored.size,
      detectedMime: mimeFor(kind, detection.mime, ext),
      kind,
      ext,
      displayName: claimedExt === undefined ? sanitizeFileName(claimedName, ext) : shownName,
      created: stored.created,
    };
  } catch (err) {
    source.destroy();
    throw toUploadError(err);
  }
}

function checkSize(part: UploadPart, head: Buffer, limits: IngestLimits) {
  if (part.file.truncated === true || head.length > limits.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
}

/**
 * Between the part and the store: turns every way the part can go wrong into a refusal the store
 * sees before it publishes anything (an error before the end of the stream).
 */
function guard(body: Readable, part: UploadPart, textual: boolean): Transform {
  const source = part.file;
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (textual && containsNul(chunk)) callback(new AppError('FILE_TYPE_REFUSED'));
      else callback(null, chunk);
    },
    flush(callback) {
      // busboy ends a part cut at the plugin's fileSize limit normally, with `truncated` set.
      if (source.truncated === true) callback(new AppError('PAYLOAD_TOO_LARGE'));
      else callback();
    },
  });
  source.once('limit', () => checked.destroy(new AppError('PAYLOAD_TOO_LARGE')));
  body.once('error', () => checked.destroy(new AppError('UPLOAD_TRUNCATED')));
  body.once('close', () => {
    if (!body.readableEnded) checked.destroy(new AppError('UPLOAD_TRUNCATED'));
  });
  body.pipe(checked);
  return checked;
}

function toUploadError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof SourceFailedError) return new AppError('UPLOAD_TRUNCATED');
  if (err instanceof BlobStoreError && err.code === 'TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  return err;
}

function ignore() {}
