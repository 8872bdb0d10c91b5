import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimedNameProblem,
  contentDispositionAttachment,
  maxDisplayNameLength,
  sanitizeFileName,
  splitExtension,
} from '../src/lib/uploads/file-name.ts';

const graphemes = (s: string) => [...new Intl.Segmenter('fr', { granularity: 'grapheme' }).segment(s)].length;

describe('claimed file names', () => {
  it.each([
    ['../../etc/passwd.pdf', 'path-traversal'],
    ['..\\boot.ini', 'path-traversal'],
    ['a\u0000b.pdf', 'control-character'],
    ['facture\u0085.pdf', 'control-character'],
    ['facture\u202Efdp.exe', 'bidi-override'],
    ['facture\u2067.pdf', 'bidi-override'],
    ['x'.repeat(1025), 'too-long'],
    ['facture\uDC00.pdf', 'malformed'],
  ])('refuses %j (%s)', (name, problem) => {
    expect(claimedNameProblem(name)).toBe(problem);
  });

  it.each(['Facture n°12.pdf', 'relevé..pdf', '..facture.pdf', 'a/b.pdf', 'مستند.pdf', '請求書.pdf', ''])(
    'accepts %j (sanitising is enough)',
    (name) => {
      expect(claimedNameProblem(name)).toBeUndefined();
    },
  );
});

describe('sanitizeFileName', () => {
  it.each([
    ['  Facture   mars\t2024 .pdf ', 'Facture mars 2024 .pdf'],
    ['../../etc/passwd.pdf', '_.._etc_passwd.pdf'],
    ['C:\\Users\\moi\\relevé.pdf', 'C__Users_moi_relevé.pdf'],
    ['...cache.pdf', 'cache.pdf'],
    ['a\u0000b\u0007c.pdf', 'a b c.pdf'],
    ['facture\u202Efdp.exe', 'facturefdp.exe'],
    ['zero\u200Bwidth\uFEFF.pdf', 'zerowidth.pdf'],
    ['Rele\u0301ve\u0301.pdf', 'Rel\u00e9v\u00e9.pdf'],
    ['rapport: "final" <v2>?.docx', 'rapport_ _final_ _v2__.docx'],
    ['', 'document'],
    ['...', 'document'],
    ['\u202E', 'document'],
    ['Scan.JPG', 'Scan.JPG'],
  ])('%j becomes %j', (raw, clean) => {
    expect(sanitizeFileName(raw)).toBe(clean);
  });

  it('falls back to "document" with the given extension', () => {
    expect(sanitizeFileName('', 'pdf')).toBe('document.pdf');
    expect(sanitizeFileName('IMG 0042', 'jpg')).toBe('IMG 0042.jpg');
    expect(sanitizeFileName('photo.png', 'jpg')).toBe('photo.png');
  });

  it('bounds the length, keeping the extension and whole characters', () => {
    const long = sanitizeFileName(`${'é'.repeat(10_000)}.xlsx`);
    expect(graphemes(long)).toBe(maxDisplayNameLength);
    expect(long.endsWith('é.xlsx')).toBe(true);
    const emoji = sanitizeFileName(`${'👩‍👩‍👧'.repeat(300)}.pdf`);
    expect(graphemes(emoji)).toBe(maxDisplayNameLength);
    expect(emoji.endsWith('👩‍👩‍👧.pdf')).toBe(true);
  });

  it('reads extensions as letters and digits after the last dot, never a date', () => {
    expect(splitExtension('facture.PDF')).toEqual({ stem: 'facture', ext: 'pdf' });
    expect(splitExtension('Relevé 03.2024')).toEqual({ stem: 'Relevé 03.2024', ext: undefined });
    expect(splitExtension('archive.tar.gz')).toEqual({ stem: 'archive.tar', ext: 'gz' });
    expect(splitExtension('.bashrc')).toEqual({ stem: '.bashrc', ext: undefined });
    expect(splitExtension('notes. txt')).toEqual({ stem: 'notes. txt', ext: undefined });
  });

  it('always yields a safe, bounded, stable name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const clean = sanitizeFileName(raw);
        expect(clean.length).toBeGreaterThan(0);
        expect(clean).not.toMatch(/[\p{Cc}/\\:*?"<>|\u202A-\u202E\u2066-\u2069\u200B\uFEFF]|\p{Cs}/u);
        expect(clean).not.toMatch(/^[.\s]|\s$/u);
        expect(clean).toBe(clean.normalize('NFC'));
        expect(graphemes(clean)).toBeLessThanOrEqual(maxDisplayNameLength);
        expect(sanitizeFileName(clean)).toBe(clean);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('contentDispositionAttachment', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDispositionAttachment('Relevé de compte (mars).pdf')).toBe(
      `attachment; filename="Releve de compte (mars).pdf"; filename*=UTF-8''Relev%C3%A9%20de%20compte%20%28mars%29.pdf`,
    );
    expect(contentDispositionAttachment('請求書.pdf')).toBe(
      `attachment; filename="___.pdf"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf`,
    );
  });

  it('cannot be used to inject a header or break out of the quotes', () => {
    const header = contentDispositionAttachment('a"b\\c\r\nSet-Cookie: x=1;%20.pdf');
    expect(header).toBe(
      `attachment; filename="a_b_c Set-Cookie_ x=1__20.pdf"; filename*=UTF-8''a_b_c%20Set-Cookie_%20x%3D1%3B%2520.pdf`,
    );
  });

  it('never lets a compatibility character decompose into a quote or backslash in the ASCII name', () => {
    // U+FE68 (small reverse solidus) decomposes to `\` and U+FF02 (fullwidth quote) to `"`.
    for (const name of ['\uFE68.pdf', '\uFF02.pdf']) {
      expect(contentDispositionAttachment(name)).toMatch(/^attachment; filename="_\.pdf"; /);
    }
  });

  it('is printable ASCII for any name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const header = contentDispositionAttachment(raw);
        expect(header).toMatch(
          /^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[\w.!#$&+^`|~%-]+$/,
        );
        const encoded = header.split("filename*=UTF-8''")[1] as string;
        expect(decodeURIComponent(encoded)).toBe(sanitizeFileName(raw));
      }),
      { numRuns: 2000 },
    );
  });
});
