import fs from 'node:fs/promises';
import path from 'node:path';
import { collaborativeServices, contactFiles, fileOffers } from '../src/db/schema/index.ts';
import type { TestApp } from './support/app.ts';
import { createContact, signInAsClient } from './support/factories.ts';

export const boundary = '----passerelle-ged-boundary';

export interface FilePart {
  name: string;
  content: Buffer;
  type?: string;
}

/** A multipart/form-data body with one `file` part per entry. */
export function multipart(files: FilePart[]): { payload: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\n` +
          `Content-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A small valid PDF whose only page shows `text` (Helvetica, one line). */
export function pdfWithText(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A tiny but real PNG (1×1). */
export const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A client contact with Start on the file: offer active, contact linked (optionally "Limité à"),
 * service proposed — the data the colleague's `clientFileAccess` checks.
 */
export async function clientWithStart(
  t: TestApp,
  firmId: string,
  fileId: string,
  link: { limitedTo?: string[] | null; figuresAllowed?: boolean } = {},
) {
  const client = await signInAsClient(t, firmId);
  await grantStart(t, firmId, fileId, client.contact.id, link);
  return client;
}

export async function grantStart(
  t: TestApp,
  firmId: string,
  fileId: string,
  contactId: string,
  link: { limitedTo?: string[] | null; figuresAllowed?: boolean } = {},
) {
  const db = t.ctx.db;
  await db.insert(fileOffers).values({ fileId, firmId, offerCode: 'start' }).onConflictDoNothing();
  await db.insert(contactFiles).values({
    contactId,
    fileId,
    firmId,
    limitedTo: link.limitedTo ?? null,
    figuresAllowed: link.figuresAllowed ?? true,
  });
  await db.insert(collaborativeServices).values({ firmId, fileId, contactId, offerCode: 'start' });
}

export { createContact };

/** Every blob file under a data dir's blob store (temp files included). */
export async function blobFiles(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'blobs');
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
