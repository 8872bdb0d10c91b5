import { expect, test } from '@playwright/test';
import { clientOnPhone, staffSession } from './support/client-account.ts';
import { pdf, png } from './support/files.ts';

/**
 * Pieces (SPEC §6.3) on a phone: the client sends two pieces with a progress bar each and sees
 * them « À traiter »; the firm rejects one from its Pièces inbox with a reason; the client sees
 * « Rejetée » and the reason.
 */

const FILE_NAME = 'Boulangerie Lefèvre';

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
