import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { clientOnPhone, staffSession } from './support/client-account.ts';

/**
 * Pieces (SPEC §6.3) on a phone: the client sends two pieces with a progress bar each and sees
 * them « À traiter »; the firm rejects one from its Pièces inbox with a reason; the client sees
 * « Rejetée » and the reason.
 */

const FILE_NAME = 'Boulangerie Lefèvre';

/** A small, valid one-page PDF (the server checks the content, not the name). */
function pdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length + 35} >>\nstream\nBT /F1 18 Tf 20 70 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A small PNG (a receipt-coloured square); `seed` makes its bytes, hence its checksum, unique. */
function png(seed: number): Buffer {
  const size = 16;
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buffer: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buffer) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const at = y * (size * 3 + 1) + 1 + x * 3;
      raw[at] = 240;
      raw[at + 1] = 230 - ((x + seed) % 40);
      raw[at + 2] = (seed + y * 7) % 256;
    }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('the client deposits two pieces from a phone, the firm rejects one with a reason, the client sees why', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  const staff = await staffSession(browser, baseURL);
  const { phone, close } = await clientOnPhone(browser, baseURL, staff, FILE_NAME);
  const stamp = Date.now();
  const invoice = `facture-${stamp}.pdf`;
  const receipt = `ticket-${stamp}.png`;

  // Déposer: two files chosen at once, each with its own progress bar and its own result.
  await phone
    .getByRole('navigation', { name: 'Navigation de l’espace client' })
    .getByRole('link', { name: 'Déposer' })
    .click();
  await expect(phone.getByRole('heading', { name: 'Déposer des pièces', level: 1 })).toBeVisible();
  await expect(phone.getByLabel('Prendre une photo')).toHaveAttribute('capture', 'environment');
  await phone.getByLabel('Choisir des fichiers').setInputFiles([
    { name: invoice, mimeType: 'application/pdf', buffer: pdf(`Facture ${stamp}`) },
    { name: receipt, mimeType: 'image/png', buffer: png(stamp % 251) },
  ]);
  const uploads = phone.getByRole('region', { name: 'Envois' });
  await expect(uploads.getByRole('listitem')).toHaveCount(2);
  for (const name of [invoice, receipt]) {
    const row = uploads.getByRole('listitem').filter({ hasText: name });
    await expect(row.getByText('Envoyée')).toBeVisible({ timeout: 20_000 });
  }
  // Each result is announced once, politely.
  await expect(phone.getByRole('status').filter({ hasText: receipt })).toContainText('Envoyée');

  const month = phone.getByRole('region', { name: 'Pièces envoyées ce mois-ci' });
  for (const name of [invoice, receipt])
    await expect(month.getByRole('listitem').filter({ hasText: name })).toContainText('À traiter');

  // The firm, in its Pièces inbox (left navigation), rejects the photo with a reason.
  const firm = staff.page;
  await firm.goto('/portefeuille');
  await firm
    .getByRole('navigation', { name: 'Navigation principale' })
    .getByRole('link', { name: 'Pièces' })
    .click();
  await expect(firm.getByRole('heading', { name: 'Pièces', level: 1 })).toBeVisible();
  const fileFilter = firm.getByLabel('Dossier', { exact: true });
  const fileValue = await fileFilter.locator('option', { hasText: FILE_NAME }).getAttribute('value');
  await fileFilter.selectOption(fileValue ?? '');
  await expect(firm.getByRole('row').filter({ hasText: invoice })).toBeVisible();
  await firm.getByRole('button', { name: `Rejeter\u00a0: ${receipt}` }).click();
  const dialog = firm.getByRole('dialog', { name: 'Rejeter la pièce' });
  await dialog.getByRole('button', { name: 'Rejeter' }).click();
  await expect(dialog.getByText('Indiquez le motif du rejet.')).toBeVisible();
  const reason = 'Ticket illisible : merci de reprendre la photo à plat.';
  await dialog.getByLabel('Motif du rejet').fill(reason);
  await dialog.getByRole('button', { name: 'Rejeter' }).click();
  await expect(dialog).toBeHidden();
  await expect(firm.getByRole('row').filter({ hasText: receipt })).toHaveCount(0);
  await expect(firm.getByRole('row').filter({ hasText: invoice })).toBeVisible();

  // The client reloads: the photo is « Rejetée », with the firm's reason; the invoice waits.
  await phone.reload();
  const after = phone.getByRole('region', { name: 'Pièces envoyées ce mois-ci' });
  const rejected = after.getByRole('listitem').filter({ hasText: receipt });
  await expect(rejected).toContainText('Rejetée');
  await expect(rejected).toContainText(reason);
  await expect(after.getByRole('listitem').filter({ hasText: invoice })).toContainText('À traiter');

  // The dashboard counts them the same way.
  await phone.getByRole('link', { name: 'Tableau de bord' }).click();
  await expect(phone.getByText(reason)).toBeVisible();

  await close();
  await staff.context.close();
});
