/**
 * File names sent by clients are for display only: they never become a path (blobs live at their
 * content address). Two tools: `claimedNameProblem` says whether a name is hostile enough to
 * refuse the upload; `sanitizeFileName` turns any name into one that is safe to show and offer
 * as a download name.
 */

/** Longer than any filesystem allows (255 bytes): only a forged request sends this. */
export const maxClaimedNameLength = 1024;
/** Display names are cut to this many characters (graphemes), keeping the extension. */
export const maxDisplayNameLength = 200;

// C0, DEL and C1 controls: never part of a real file name.
const controlChar = /\p{Cc}/u;
const controlChars = /\p{Cc}+/gu;
// Bidirectional embeddings, overrides and isolates: "facture\u202Efdp.exe" displays as "factureexe.pdf".
const bidiOverride = /[\u202A-\u202E\u2066-\u2069]/u;
// Invisible characters that make two names look alike: bidi controls and marks, zero-width space,
// word joiner and friends, byte order mark.
const invisibleChars = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+/gu;
// Path separators, and what Windows refuses in a name, so a downloaded or exported name stays one file.
const unsafeChars = /[/\\:*?"<>|]/g;
// In a `u` regex a paired surrogate is one code point, so \p{Cs} matches only broken UTF-16.
const loneSurrogate = /\p{Cs}/u;
const loneSurrogates = /\p{Cs}/gu;
const extensionPattern = /^(?=.*[a-z])[a-z0-9]{1,10}$/i;

export type NameProblem = 'too-long' | 'control-character' | 'bidi-override' | 'path-traversal' | 'malformed';

/** Why a claimed name must be refused, or undefined when sanitising it is enough. */
export function claimedNameProblem(name: string): NameProblem | undefined {
  if (name.length > maxClaimedNameLength) return 'too-long';
  if (loneSurrogate.test(name)) return 'malformed';
  if (controlChar.test(name)) return 'control-character';
  if (bidiOverride.test(name)) return 'bidi-override';
  if (name.split(/[/\\]/).some((segment) => segment.trim() === '..')) return 'path-traversal';
  return undefined;
}

/**
 * The extension of a name: the part after the last dot, 1-10 ASCII letters or digits with at least
 * one letter ("Relevé 03.2024" has none, so a date is not mistaken for a type), lower-cased.
 */
export function splitExtension(name: string): { stem: string; ext: string | undefined } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: undefined };
  const candidate = name.slice(dot + 1);
  if (!extensionPattern.test(candidate)) return { stem: name, ext: undefined };
  return { stem: name.slice(0, dot), ext: candidate.toLowerCase() };
}

/**
 * A name safe to display and to offer as a download: NFC, no control or invisible characters, no
 * path separators, no leading dots, single spaces, at most 200 characters with its extension kept;
 * "document" when nothing is left. `defaultExtension` is appended when the name has none.
 */
export function sanitizeFileName(name: string, defaultExtension?: string): string {
  const clean = name
    .replace(loneSurrogates, '\uFFFD')
    .normalize('NFC')
    .replace(controlChars, ' ')
    .replace(invisibleChars, '')
    .replace(unsafeChars, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+/u, '')
    .replace(/[\s.]+$/u, '');

  const split = splitExtension(clean);
  const ext = split.ext ?? defaultExtension?.toLowerCase();
  // Keep the extension's original spelling when there is one ("Scan.JPG").
  const suffix = split.ext ? clean.slice(split.stem.length) : ext ? `.${ext}` : '';
  let stem = split.ext ? split.stem : clean;

  const budget = maxDisplayNameLength - [...suffix].length;
  const graphemes = [...segmenter.segment(stem)];
  if (graphemes.length > budget) {
    stem = graphemes
      .slice(0, budget)
      .map((g) => g.segment)
      .join('')
      .replace(/[\s.]+$/u, '');
  }
  if (stem === '') stem = 'document';
  return `${stem}${suffix}`;
}

const segmenter = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/**
 * `Content-Disposition: attachment` for a stored name: an ASCII fallback for old clients and the
 * exact UTF-8 name in `filename*` (RFC 6266 / RFC 5987). The name is sanitised first, so it can
 * never carry a quote, a backslash or a line break into the header.
 */
export function contentDispositionAttachment(name: string): string {
  const safe = sanitizeFileName(name);
  const ascii = safe
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    // Compatibility forms can decompose into `\` or `"` (e.g. U+FE68 → `\`): never inside quotes.
    .replace(/[%;\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(safe)}`;
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
