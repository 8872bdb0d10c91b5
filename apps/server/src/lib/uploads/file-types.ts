import { fileTypeFromBuffer } from 'file-type';

/**
 * What may be uploaded, recognised by content. Each accepted kind has a family of extensions and
 * of declared MIME types; a claimed name or type outside the family is a mismatch.
 */
export type FileKind =
  | 'pdf'
  | 'jpeg'
  | 'png'
  | 'heic'
  | 'webp'
  | 'tiff'
  | 'xlsx'
  | 'docx'
  | 'odt'
  | 'ods'
  | 'text'
  | 'xml';

interface KindRule {
  /** The first one is appended to a name that has no extension. */
  extensions: readonly string[];
  mime: string;
  /** What browsers and clients declare for this kind. */
  declaredMimes: readonly string[];
}

export const fileKinds: Record<FileKind, KindRule> = {
  pdf: {
    extensions: ['pdf'],
    mime: 'application/pdf',
    declaredMimes: ['application/pdf', 'application/x-pdf'],
  },
  jpeg: {
    extensions: ['jpg', 'jpeg', 'jpe', 'jfif'],
    mime: 'image/jpeg',
    declaredMimes: ['image/jpeg', 'image/pjpeg', 'image/jpg'],
  },
  png: { extensions: ['png'], mime: 'image/png', declaredMimes: ['image/png', 'image/x-png', 'image/apng'] },
  heic: {
    extensions: ['heic', 'heif'],
    mime: 'image/heic',
    declaredMimes: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
  },
  webp: { extensions: ['webp'], mime: 'image/webp', declaredMimes: ['image/webp'] },
  tiff: {
    extensions: ['tif', 'tiff'],
    mime: 'image/tiff',
    declaredMimes: ['image/tiff', 'image/tif', 'image/x-tiff'],
  },
  xlsx: {
    extensions: ['xlsx'],
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    declaredMimes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  docx: {
    extensions: ['docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    declaredMimes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  odt: {
    extensions: ['odt'],
    mime: 'application/vnd.oasis.opendocument.text',
    declaredMimes: ['application/vnd.oasis.opendocument.text'],
  },
  ods: {
    extensions: ['ods'],
    mime: 'application/vnd.oasis.opendocument.spreadsheet',
    declaredMimes: ['application/vnd.oasis.opendocument.spreadsheet'],
  },
  // Plain text and CSV cannot be told apart by content: one family, the extension picks the MIME.
  text: {
    extensions: ['txt', 'csv'],
    mime: 'text/plain',
    declaredMimes: [
      'text/plain',
      'text/csv',
      'text/x-csv',
      'application/csv',
      'text/comma-separated-values',
      'text/tab-separated-values',
      // What Windows declares for .csv when Excel is installed.
      'application/vnd.ms-excel',
    ],
  },
  xml: { extensions: ['xml'], mime: 'application/xml', declaredMimes: ['application/xml', 'text/xml'] },
};

/** Declared types that say nothing (clients send them for anything): not held against the file. */
const uninformativeMimes = new Set([
  '',
  'application/octet-stream',
  'binary/octet-stream',
  'application/x-octet-stream',
]);

const kindByFileTypeExt: Record<string, FileKind> = {
  pdf: 'pdf',
  jpg: 'jpeg',
  png: 'png',
  apng: 'png',
  heic: 'heic',
  webp: 'webp',
  tif: 'tiff',
  xlsx: 'xlsx',
  docx: 'docx',
  odt: 'odt',
  ods: 'ods',
  xml: 'xml',
};

export type Detection =
  | { verdict: 'accepted'; kind: FileKind; mime: string }
  /** Recognised but not allowed (executable, archive, HTML...): `found` names what it is. */
  | { verdict: 'refused'; found: string }
  /** A ZIP whose first bytes do not say which document it is: look at more of it. */
  | { verdict: 'need-more' };

/**
 * Detects the kind from the first bytes of a file (`complete` when they are the whole file).
 * Binary formats by signature (file-type); then text, which file-type leaves alone: no NUL, no
 * control character but tab, line breaks, form feed and the DOS end-of-file mark, valid UTF-8 or
 * an 8-bit encoding (accounting exports are often Windows-1252). Text starting with `<` is XML.
 */
export async function detectFileKind(head: Buffer, complete: boolean): Promise<Detection> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    if (found.ext === 'zip' && !complete) return { verdict: 'need-more' };
    const kind = kindByFileTypeExt[found.ext];
    if (kind === undefined) return { verdict: 'refused', found: found.ext };
    if (kind === 'xml') return classifyMarkup(head);
    return { verdict: 'accepted', kind, mime: kind === 'heic' ? found.mime : fileKinds[kind].mime };
  }
  if (!looksLikeText(head)) return { verdict: 'refused', found: 'unknown' };
  const text = decodeStart(head);
  if (text.trimStart().startsWith('<')) return classifyMarkup(head);
  return { verdict: 'accepted', kind: 'text', mime: 'text/plain' };
}

/** The MIME to record: text is text/csv or text/plain by its extension. */
export function mimeFor(kind: FileKind, detectedMime: string, ext: string): string {
  if (kind === 'text') return ext === 'csv' ? 'text/csv' : 'text/plain';
  return detectedMime;
}

export function extensionBelongs(kind: FileKind, ext: string): boolean {
  return fileKinds[kind].extensions.includes(ext);
}

export function declaredMimeBelongs(kind: FileKind, declared: string | undefined): boolean {
  const essence = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return uninformativeMimes.has(essence) || fileKinds[kind].declaredMimes.includes(essence);
}

const allowedControlBytes = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1a]);

/** Text whose head has no NUL must have none anywhere: checked on every chunk while storing. */
export function containsNul(chunk: Buffer): boolean {
  return chunk.indexOf(0) !== -1;
}

function looksLikeText(head: Buffer): boolean {
  for (const byte of head) {
    if ((byte < 0x20 && !allowedControlBytes.has(byte)) || byte === 0x7f) return false;
  }
  return true;
}

/** Enough of the start to find the root element; UTF-16 only reaches here with `<?xml` and a BOM. */
function decodeStart(head: Buffer): string {
  const start = head.subarray(0, 2048);
  if (start[0] === 0xff && start[1] === 0xfe) return new TextDecoder('utf-16le').decode(start.subarray(2));
  if (start[0] === 0xfe && start[1] === 0xff) return new TextDecoder('utf-16be').decode(start.subarray(2));
  const text = start.toString('latin1');
  return text.startsWith('\u00ef\u00bb\u00bf') ? text.slice(3) : text;
}

/**
 * XML e-invoices (UBL, CII) are welcome; markup a browser would run is not, whatever its name:
 * HTML and SVG are refused even when they parse as XML.
 */
function classifyMarkup(head: Buffer): Detection {
  const text = decodeStart(head)
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trimStart();
  const doctype = /^<!doctype\s+([^\s>[]+)/i.exec(text);
  const root = doctype?.[1] ?? /^<([A-Za-z_][\w.:-]*)/.exec(text.replace(/^<!doctype[^>]*>\s*/i, ''))?.[1];
  if (root === undefined) return { verdict: 'refused', found: 'markup' };
  const localName = (root.split(':').pop() ?? root).toLowerCase();
  if (localName === 'html' || localName === 'svg' || localName === 'xhtml') {
    return { verdict: 'refused', found: localName };
  }
  return { verdict: 'accepted', kind: 'xml', mime: fileKinds.xml.mime };
}
