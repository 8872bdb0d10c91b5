import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.ts';
import { readAll, sha256 } from '../src/lib/storage/blob-store.contract.ts';
import { DiskBlobStore } from '../src/lib/storage/disk-blob-store.ts';
import { ingestUpload, type UploadPart } from '../src/lib/uploads/ingest.ts';

// ---------------------------------------------------------------------------------------------
// Files built byte by byte (checked once with djpeg, pdftotext and pngcheck).

/** A one-page PDF with a correct cross-reference table. */
function minimalPdf(text = 'Facture 2024-001'): Buffer {
  const content = `BT /F1 24 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** An 8x8 grey baseline JPEG: one quantisation table, one-symbol Huffman tables, one block. */
function minimalJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [0xff, marker, 0, body.length + 2, ...body];
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, 1, ...new Array(15).fill(0), 0]),
    ...segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0b0011_1111, // DC difference category 0, end of block, padding ones
    0xff,
    0xd9,
  ]);
}

/** A 1x1 RGB PNG. */
function minimalPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const frame = Buffer.alloc(8 + data.length + 4);
    frame.writeUInt32BE(data.length, 0);
    typed.copy(frame, 4);
    frame.writeUInt32BE(crc32(typed), 8 + data.length);
    return frame;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A ZIP archive with stored (uncompressed) entries, in the given order. */
function storedZip(entries: [name: string, data: Buffer | string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, raw] of entries) {
    const data = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const contentTypes = (partName: string, mainType: string) =>
  `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="${partName}" ContentType="${mainType}.main+xml"/></Types>`;
const rootRels = (target: string) =>
  `${xmlHeader}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/></Relationships>`;
const documentXml =
  `${xmlHeader}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
  '<w:body><w:p><w:r><w:t>Lettre de mission</w:t></w:r></w:p></w:body></w:document>';

function minimalDocx(): Buffer {
  return storedZip([
    [
      '[Content_Types].xml',
      contentTypes(
        '/word/document.xml',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ),
    ],
    ['_rels/.rels', rootRels('word/document.xml')],
    ['word/document.xml', documentXml],
  ]);
}

/** A DOCX whose telling entry comes after 200 KB of image: beyond the first 4100 bytes. */
function docxWithLateContentTypes(): Buffer {
  return storedZip([
    ['word/media/image1.png', randomBytes(200_000)],
    ['word/document.xml', documentXml],
    ['_rels/.rels', rootRels('word/document.xml')],
    [
      '[Content_Types].xml',
      contentTypes(
        '/word/document.xml',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ),
    ],
  ]);
}

function minimalXlsx(): Buffer {
  return storedZip([
    [
      '[Content_Types].xml',
      contentTypes('/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ],
    ['_rels/.rels', rootRels('xl/workbook.xml')],
    [
      'xl/workbook.xml',
      `${xmlHeader}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`,
    ],
  ]);
}

function minimalOpenDocument(mime: string): Buffer {
  return storedZip([
    ['mimetype', mime],
    [
      'content.xml',
      `${xmlHeader}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`,
    ],
  ]);
}

const heicHeader = () =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
    randomBytes(64),
  ]);
const webpHeader = () => Buffer.concat([Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1'), randomBytes(32)]);
const tiffHeader = () => Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const elfBinary = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(5000)]);
const windowsExecutable = () =>
  Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), randomBytes(2000), Buffer.from('PE\0\0')]);

const ublInvoice =
  `${xmlHeader}<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">` +
  '<cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">F-2024-001</cbc:ID></Invoice>';
const ciiInvoice =
  '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">' +
  '<rsm:ExchangedDocument/></rsm:CrossIndustryInvoice>';

// ---------------------------------------------------------------------------------------------

let dir: string;
let store: DiskBlobStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-ingest-'));
  store = new DiskBlobStore(path.join(dir, 'blobs'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every file under the store, temp files included. */
async function storedFiles(): Promise<string[]> {
  const entries = await fs.readdir(store.root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(store.root, path.join(e.parentPath, e.name)));
}

function streamOf(content: Buffer, chunkSize = 1000): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < content.length; i += chunkSize) yield content.subarray(i, i + chunkSize);
    })(),
  );
}

const part = (
  content: Buffer | Readable,
  filename: string,
  mimetype = 'application/octet-stream',
): UploadPart => ({
  file: Buffer.isBuffer(content) ? streamOf(content) : content,
  filename,
  mimetype,
});

const maxBytes = 10 * 1024 * 1024;

async function expectRefused(upload: UploadPart, code: string, limit = maxBytes) {
  const err = await ingestUpload(store, upload, { maxBytes: limit }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect(await storedFiles()).toEqual([]);
  expect(upload.file.destroyed).toBe(true);
}

describe('upload pipeline: refusals store nothing', () => {
  it('refuses a PNG named .pdf (type spoofed by extension)', async () => {
    await expectRefused(part(minimalPng(), 'facture.pdf', 'application/pdf'), 'FILE_TYPE_MISMATCH');
  });

  it('refuses a PDF named .png, and a PDF declared as an image', async () => {
    await expectRefused(part(minimalPdf(), 'photo.png'), 'FILE_TYPE_MISMATCH');
    await expectRefused(part(minimalPdf(), 'facture.pdf', 'image/png'), 'FILE_TYPE_MISMATCH');
  });

  it('refuses a real type under an extension that is no type of ours (facture.pdf.exe)', async () => {
    await expectRefused(part(minimalPdf(), 'facture.pdf.exe'), 'FILE_TYPE_MISMATCH');
  });

  it('refuses an extension hidden behind a trailing dot or an invisible character', async () => {
    await expectRefused(part(minimalPng(), 'facture.pdf.'), 'FILE_TYPE_MISMATCH');
    await expectRefused(part(minimalPng(), 'facture.pdf\u200B'), 'FILE_TYPE_MISMATCH');
  });

  it('refuses an ELF or a Windows executable renamed .pdf', async () => {
    await expectRefused(part(elfBinary(), 'releve.pdf', 'application/pdf'), 'FILE_TYPE_REFUSED');
    await expectRefused(part(windowsExecutable(), 'releve.pdf', 'application/pdf'), 'FILE_TYPE_REFUSED');
  });

  it('refuses markup a browser would run, whatever its name', async () => {
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
    await expectRefused(part(html, 'facture.xml'), 'FILE_TYPE_REFUSED');
    await expectRefused(part(html, 'notes.txt'), 'FILE_TYPE_REFUSED');
    const svg = Buffer.from(
      `${xmlHeader}<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
    );
    await expectRefused(part(svg, 'facture.xml'), 'FILE_TYPE_REFUSED');
  });

  it('refuses a plain ZIP named .docx and unknown binary named .csv', async () => {
    await expectRefused(part(storedZip([['a.txt', 'bonjour']]), 'contrat.docx'), 'FILE_TYPE_REFUSED');
    await expectRefused(part(randomBytes(20_000), 'export.csv', 'text/csv'), 'FILE_TYPE_REFUSED');
  });

  it('refuses text that turns binary after the first bytes, while streaming', async () => {
    const content = Buffer.concat([Buffer.from('date;montant\n'.repeat(2000)), Buffer.from([0, 1, 2, 3])]);
    await expectRefused(part(content, 'export.csv', 'text/csv'), 'FILE_TYPE_REFUSED');
  });

  it('refuses an empty file', async () => {
    await expectRefused(part(Buffer.alloc(0), 'vide.pdf', 'application/pdf'), 'FILE_EMPTY');
  });

  it('refuses a file over the limit and stops reading it', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        const chunk = produced === 0 ? minimalPdf() : Buffer.alloc(64 * 1024, 0x20);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    await expectRefused(part(endless, 'gros.pdf', 'application/pdf'), 'PAYLOAD_TOO_LARGE', 1_000_000);
    expect(produced).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuses a file whose first bytes already exceed the limit', async () => {
    await expectRefused(part(minimalPdf(), 'facture.pdf'), 'PAYLOAD_TOO_LARGE', 100);
  });

  it('refuses a part the multipart parser cut at its size limit (truncated, then a normal end)', async () => {
    const cut = (emitLimit: boolean, bytes: number) => {
      const stream = Object.assign(new Readable({ read() {} }), { truncated: false });
      stream.push(minimalPdf());
      stream.push(Buffer.alloc(bytes, 0x20));
      setTimeout(() => {
        stream.truncated = true;
        if (emitLimit) stream.emit('limit');
        stream.push(null);
      }, 10);
      return stream;
    };
    await expectRefused(part(cut(true, 100_000), 'facture.pdf'), 'PAYLOAD_TOO_LARGE');
    await expectRefused(part(cut(false, 100_000), 'facture.pdf'), 'PAYLOAD_TOO_LARGE');
    await expectRefused(part(cut(false, 10), 'facture.pdf'), 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a stream that fails mid-way (client abort)', async () => {
    async function* aborted() {
      yield minimalPdf();
      yield Buffer.alloc(500_000, 0x20);
      throw new Error('Unexpected end of form');
    }
    await expectRefused(part(Readable.from(aborted()), 'facture.pdf'), 'UPLOAD_TRUNCATED');
  });

  it('refuses a stream that fails before its first bytes, or closes without an end', async () => {
    async function* failsAtOnce() {
      yield* [];
      throw new Error('aborted');
    }
    await expectRefused(part(Readable.from(failsAtOnce()), 'facture.pdf'), 'UPLOAD_TRUNCATED');

    const closed = new Readable({ read() {} });
    closed.push(minimalPdf());
    closed.push(Buffer.alloc(10_000, 0x20));
    setTimeout(() => closed.destroy(), 20);
    await expectRefused(part(closed, 'facture.pdf'), 'UPLOAD_TRUNCATED');
  });

  it.each([
    ['path traversal', '../../etc/passwd.pdf'],
    ['Windows path traversal', '..\\..\\windows\\system32\\facture.pdf'],
    ['a NUL byte', 'a\u0000b.pdf'],
    ['a line break', 'facture\r\nContent-Type: text/html.pdf'],
    ['a right-to-left override', 'facture\u202Efdp.exe'],
    ['a 10,000-character name', `${'a'.repeat(10_000)}.pdf`],
    ['broken UTF-16', 'facture\uD800.pdf'],
  ])('refuses a name with %s', async (_label, filename) => {
    await expectRefused(part(minimalPdf(), filename, 'application/pdf'), 'FILE_NAME_INVALID');
  });
});

describe('upload pipeline: accepted files', () => {
  const accepted: [string, () => Buffer, string, string, string][] = [
    ['PDF', minimalPdf, 'Facture 2024-001.pdf', 'application/pdf', 'application/pdf'],
    ['JPEG', minimalJpeg, 'ticket.jpg', 'image/jpeg', 'image/jpeg'],
    ['PNG', minimalPng, 'capture.png', 'image/png', 'image/png'],
    ['HEIC', heicHeader, 'IMG_0001.HEIC', 'image/heic', 'image/heic'],
    ['WebP', webpHeader, 'scan.webp', 'image/webp', 'image/webp'],
    ['TIFF', tiffHeader, 'scan.tiff', 'image/tiff', 'image/tiff'],
    [
      'CSV',
      () => Buffer.from('date;libellé;montant\n2024-01-31;Loyer;1200,00\n'),
      'banque.csv',
      'text/csv',
      'text/csv',
    ],
    [
      'Windows-1252 CSV',
      () => Buffer.from('date;libell\xe9;montant\n2024-01-31;Caf\xe9;3,50\n', 'latin1'),
      'banque.csv',
      'application/vnd.ms-excel',
      'text/csv',
    ],
    [
      'FEC text',
      () => Buffer.from('\ufeffJournalCode\tJournalLib\tEcritureNum\nVE\tVentes\t1\n'),
      '123456789FEC20241231.txt',
      'text/plain',
      'text/plain',
    ],
    ['UBL invoice', () => Buffer.from(ublInvoice), 'facture-ubl.xml', 'application/xml', 'application/xml'],
    [
      'CII invoice without declaration',
      () => Buffer.from(ciiInvoice),
      'facture-cii.xml',
      'text/xml',
      'application/xml',
    ],
    [
      'DOCX',
      minimalDocx,
      'lettre de mission.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'DOCX with its content types past the first 4 KB',
      docxWithLateContentTypes,
      'statuts.docx',
      'application/octet-stream',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'XLSX',
      minimalXlsx,
      'balance.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    [
      'ODT',
      () => minimalOpenDocument('application/vnd.oasis.opendocument.text'),
      'courrier.odt',
      '',
      'application/vnd.oasis.opendocument.text',
    ],
    [
      'ODS',
      () => minimalOpenDocument('application/vnd.oasis.opendocument.spreadsheet'),
      'budget.ods',
      'application/vnd.oasis.opendocument.spreadsheet',
      'application/vnd.oasis.opendocument.spreadsheet',
    ],
  ];

  it.each(accepted)('stores a %s', async (_label, build, filename, declared, detectedMime) => {
    const content = build();
    const result = await ingestUpload(store, part(content, filename, declared), { maxBytes });
    expect(result).toMatchObject({
      key: sha256(content),
      sha256: sha256(content),
      size: content.length,
      detectedMime,
      displayName: filename,
      created: true,
    });
    expect((await readAll(await store.get(result.key))).equals(content)).toBe(true);
    const key = result.key;
    expect(await storedFiles()).toEqual([path.join(key.slice(0, 2), key.slice(2, 4), key)]);
  });

  it('streams a file larger than its head, in small chunks', async () => {
    const content = Buffer.concat([minimalPdf(), randomBytes(3 * 1024 * 1024)]);
    const result = await ingestUpload(store, part(streamOf(content, 1500), 'gros.pdf'), { maxBytes });
    expect(result).toMatchObject({ key: sha256(content), size: content.length, created: true });
  });

  it('accepts exactly the limit', async () => {
    const content = Buffer.concat([minimalPdf(), Buffer.alloc(5000, 0x20)]);
    await expect(
      ingestUpload(store, part(content, 'x.pdf'), { maxBytes: content.length }),
    ).resolves.toMatchObject({
      size: content.length,
    });
  });

  it('deduplicates the same content sent twice under other names', async () => {
    const first = await ingestUpload(store, part(minimalPdf(), 'facture.pdf'), { maxBytes });
    const second = await ingestUpload(store, part(minimalPdf(), 'copie de facture.PDF'), { maxBytes });
    expect(second).toMatchObject({
      key: first.key,
      created: false,
      displayName: 'copie de facture.PDF',
      ext: 'pdf',
    });
    expect(await storedFiles()).toHaveLength(1);
  });

  it('names a file that has no extension, or no name, after its detected type', async () => {
    const noExt = await ingestUpload(store, part(minimalJpeg(), 'IMG 0042'), { maxBytes });
    expect(noExt).toMatchObject({ displayName: 'IMG 0042.jpg', ext: 'jpg', detectedMime: 'image/jpeg' });
    const dated = await ingestUpload(store, part(minimalPdf('autre'), 'Relevé 03.2024'), { maxBytes });
    expect(dated).toMatchObject({ displayName: 'Relevé 03.2024.pdf', ext: 'pdf' });
    const unnamed = await ingestUpload(store, { file: streamOf(minimalPng()) }, { maxBytes });
    expect(unnamed).toMatchObject({ displayName: 'document.png', ext: 'png' });
  });

  it('keeps a display name safe and bounded', async () => {
    const result = await ingestUpload(
      store,
      part(minimalPdf(), `  .facture: "mars"/avril ${'é'.repeat(300)}.pdf`),
      {
        maxBytes,
      },
    );
    expect(result.displayName).toMatch(/^facture_ _mars__avril é+\.pdf$/);
    expect([...result.displayName]).toHaveLength(200);
  });
});
