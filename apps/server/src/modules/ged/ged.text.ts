import type { Readable } from 'node:stream';
import { getDocumentProxy } from 'unpdf';
import type { BlobStore } from '../../lib/storage/blob-store.ts';

/** Bounds of PDF text extraction: it feeds search, it must never hold an upload up for long. */
export const pdfTextLimits = {
  /** Larger PDFs are not read for text (they are usually scans anyway). */
  maxPdfBytes: 20 * 1024 * 1024,
  maxPages: 30,
  maxTextChars: 100_000,
  timeoutMs: 5_000,
};

/**
 * The text of a stored PDF, bounded, or null (not a PDF, too large, no text layer, broken,
 * too slow). Never throws: search is a convenience, the upload must not fail because of it.
 */
export async function extractPdfText(
  store: BlobStore,
  key: string,
  mime: string,
  size: number,
  limits = pdfTextLimits,
): Promise<string | null> {
  if (mime !== 'application/pdf' || size > limits.maxPdfBytes) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      const bytes = await readAll(await store.get(key), size);
      const pdf = await getDocumentProxy(bytes);
      try {
        const pages = Math.min(pdf.numPages, limits.maxPages);
        const parts: string[] = [];
        let length = 0;
        for (let n = 1; n <= pages && length < limits.maxTextChars; n++) {
          const page = await pdf.getPage(n);
          const content = await page.getTextContent();
          const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
          parts.push(text);
          length += text.length;
        }
        return parts.join('\n');
      } finally {
        await pdf.destroy();
      }
    })();
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), limits.timeoutMs);
    });
    const text = await Promise.race([work, timeout]);
    work.catch(() => {});
    if (text === null) return null;
    // NUL bytes cannot be stored in a PostgreSQL text column.
    const clean = text.replaceAll('\u0000', '').replace(/\s+/g, ' ').trim().slice(0, limits.maxTextChars);
    return clean === '' ? null : clean;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

async function readAll(stream: Readable, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    out.set(chunk.subarray(0, Math.max(0, size - offset)), offset);
    offset += chunk.length;
  }
  return out;
}
