import { expect, type Locator, type Page, test } from '@playwright/test';
import { clientOnPhone, staffSession } from './support/client-account.ts';
import { pdf, png } from './support/files.ts';
import { DEMO_ADMIN, signInAsStaff } from './support/staff.ts';

/**
 * The GED (SPEC §6.2) in the browser. The firm: default tree, folders created, renamed and
 * deleted, documents added by the file input and by drag and drop with a result per file,
 * shared with the client, previewed, downloaded, renamed, moved, versioned, binned and
 * restored, and found by a word of a PDF's text. The client, on a phone: only what is shared,
 * and within « Limité à ».
 */

const DEFAULT_FOLDERS = [
  'Pièces déposées',
  'Comptabilité',
  'Fiscal',
  'Juridique',
  'Social',
  'Paie',
  'Bilans',
];

/** An accessible name that starts with `text` (a count or a hint may follow). */
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$)`);

/** The document's row in the open table. */
const row = (page: Page, name: string) =>
  page.getByRole('table', { name: 'Documents' }).getByRole('row').filter({ hasText: name });

/** Opens a folder from the tree on the left. */
async function openFolder(page: Page, name: string) {
  const item = page
    .getByRole('navigation', { name: 'Dossiers de la GED' })
    .getByRole('button', { name: startsWith(name) });
  await item.click();
  await expect(item).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** Opens a document's Actions menu and picks an item. */
async function documentAction(page: Page, name: string, action: string) {
  await page.getByRole('button', { name: `Actions sur ${name}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/**
 * Previews a document: its link opens a new tab that shows the file itself (Chromium's PDF
 * viewer, or the image) rather than downloading it; the server answers inline, with the
 * detected type.
 */
async function previewInNewTab(page: Page, link: Locator, mime: 'application/pdf' | 'image/png') {
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toContain('disposition=inline');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  const opened = new URL(tab.url());
  expect(`${opened.pathname}${opened.search}`).toBe(href);
  expect(await tab.evaluate(() => document.contentType)).toBe(mime);
  if (mime === 'image/png')
    await expect
      .poll(() => tab.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
  await tab.close();
  const served = await page.request.get(href);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe(mime);
  expect(served.headers()['content-disposition']).toMatch(/^inline;/);
  expect(served.headers()['x-content-type-options']).toBe('nosniff');
}

/** A file the page builds itself, dropped on the target with a real DataTransfer. */
async function dropFile(
  page: Page,
  target: Locator,
  file: { name: string; mimeType: string; buffer: Buffer },
) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType, base64: file.buffer.toString('base64') },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

test('the firm organises a file’s GED: folders, uploads, sharing, preview, download, versions, bin and French search', async ({
  page,
}) => {
  const stamp = Date.now();
  const statement = `Relevé été ${stamp}.pdf`;
  const receipt = `ticket-${stamp}.png`;
  const scan = `scan-${stamp}.png`;
  // The word "facture" is only in the PDF's text, never in a name.
  const statementText = `Facture Papeterie Martin ${stamp} TVA acquittee`;

  await signInAsStaff(page, DEMO_ADMIN, '/portefeuille');
  await page
    .getByRole('searchbox', { name: 'Rechercher un dossier (code, raison sociale, SIREN)' })
    .fill('Librairie');
  await page.getByRole('link', { name: 'Librairie Gauthier' }).first().click();
  await expect(page.getByRole('heading', { name: 'Librairie Gauthier', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Documents (GED)' }).click();
  await expect(page.getByRole('heading', { name: 'GED', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/GED – Librairie Gauthier/);

  // The default tree; the inbox opens first.
  const tree = page.getByRole('navigation', { name: 'Dossiers de la GED' });
  for (const name of DEFAULT_FOLDERS)
    await expect(tree.getByRole('button', { name: startsWith(name) })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pièces déposées', level: 2 })).toBeVisible();

  // A folder created inside Comptabilité, then renamed.
  await openFolder(page, 'Comptabilité');
  await page.getByRole('button', { name: 'Nouveau dossier' }).click();
  let dialog = page.getByRole('dialog', { name: 'Nouveau dossier dans « Comptabilité »' });
  await dialog.getByRole('button', { name: 'Valider' }).click();
  await expect(dialog.getByText('Ce champ est obligatoire.')).toBeVisible();
  await dialog.getByLabel('Nom du dossier').fill('Fournisseurs 2025');
  await dialog.getByRole('button', { name: 'Valider' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Fournisseurs 2025', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Renommer', exact: true }).click();
  dialog = page.getByRole('dialog', { name: 'Renommer le dossier' });
  await expect(dialog.getByLabel('Nom du dossier')).toHaveValue('Fournisseurs 2025');
  await dialog.getByLabel('Nom du dossier').fill('Fournisseurs');
  await dialog.getByRole('button', { name: 'Valider' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Fournisseurs', level: 2 })).toBeVisible();
  // Nested under Comptabilité in the tree.
  await expect(
    tree
      .getByRole('listitem')
      .filter({ hasText: /^Comptabilité/ })
      .getByRole('button', { name: startsWith('Fournisseurs') }),
  ).toBeVisible();

  // Two documents at once through the file input: each has its own line and result.
  const dropZone = page.getByRole('region', { name: 'Ajout de documents' });
  await dropZone.getByLabel('Ajouter des fichiers').setInputFiles([
    { name: statement, mimeType: 'application/pdf', buffer: pdf(statementText) },
    { name: receipt, mimeType: 'image/png', buffer: png(stamp % 251) },
  ]);
  const uploads = dropZone.getByRole('listitem');
  await expect(uploads).toHaveCount(2);
  for (const name of [statement, receipt])
    await expect(uploads.filter({ hasText: name }).getByRole('status')).toHaveText('Ajouté ✓');
  await expect(row(page, statement)).toBeVisible();
  await expect(row(page, receipt)).toBeVisible();

  // A third one by a real drag and drop.
  await dropFile(page, dropZone, { name: scan, mimeType: 'image/png', buffer: png((stamp + 7) % 251) });
  await expect(uploads.filter({ hasText: scan }).getByRole('status')).toHaveText('Ajouté ✓');
  await expect(row(page, scan)).toBeVisible();
  await expect(page.getByText('3 documents', { exact: true })).toBeVisible();
  await expect(tree.getByRole('button', { name: startsWith('Fournisseurs') })).toContainText('3');

  // The same bytes again: refused as a duplicate, nothing added.
  await dropZone.getByLabel('Ajouter des fichiers').setInputFiles({
    name: `copie-${receipt}`,
    mimeType: 'image/png',
    buffer: png(stamp % 251),
  });
  await expect(uploads.filter({ hasText: `copie-${receipt}` }).getByRole('status')).toContainText(
    'Déjà déposé le',
  );
  await expect(page.getByText('3 documents', { exact: true })).toBeVisible();

  // Sharing: the folder becomes visible to the client; one document is hidden, then shown again.
  const folderVisible = page.getByRole('checkbox', { name: 'Visible par le client', exact: true });
  await expect(folderVisible).not.toBeChecked();
  // Each switch is a request: click it, then see the state it lands in.
  await folderVisible.click();
  await expect(folderVisible).toBeChecked();
  await expect(tree.getByRole('button', { name: startsWith('Fournisseurs') })).not.toContainText(
    'Non visible par le client',
  );
  const receiptVisible = page.getByRole('checkbox', { name: `Visible par le client : ${receipt}` });
  await expect(receiptVisible).toBeChecked();
  await receiptVisible.click();
  await expect(page.getByRole('status').filter({ hasText: `${receipt} n’est plus visible` })).toBeAttached();
  await expect(receiptVisible).not.toBeChecked();
  await receiptVisible.click();
  await expect(
    page.getByRole('status').filter({ hasText: `${receipt} est maintenant visible par le client.` }),
  ).toBeAttached();
  await expect(receiptVisible).toBeChecked();
  // What the switches show is what the server kept.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Fournisseurs', level: 2 })).toBeVisible();
  await expect(folderVisible).toBeChecked();
  await expect(receiptVisible).toBeChecked();

  // Preview in the browser: the PDF and the image are served inline, with their detected type.
  await previewInNewTab(
    page,
    row(page, statement).getByRole('link', { name: `${statement} (s’ouvre dans un nouvel onglet)` }),
    'application/pdf',
  );
  await previewInNewTab(
    page,
    row(page, receipt).getByRole('link', { name: `${receipt} (s’ouvre dans un nouvel onglet)` }),
    'image/png',
  );

  // Rename the PDF, then download it: the suggested name is the new one, accents included.
  const renamed = `Relevé Papeterie été ${stamp}.pdf`;
  await documentAction(page, statement, 'Renommer');
  dialog = page.getByRole('dialog', { name: 'Renommer le document' });
  await expect(dialog.getByLabel('Nom du document')).toHaveValue(statement);
  await dialog.getByLabel('Nom du document').fill(renamed);
  await dialog.getByRole('button', { name: 'Valider' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, renamed)).toBeVisible();
  await expect(row(page, statement)).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: `Télécharger ${renamed}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(renamed);

  // Move the receipt to Fiscal.
  await documentAction(page, receipt, 'Déplacer');
  dialog = page.getByRole('dialog', { name: 'Déplacer le document' });
  await dialog.getByLabel('Dossier de destination').selectOption({ label: 'Fiscal' });
  await dialog.getByRole('button', { name: 'Déplacer' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, receipt)).toHaveCount(0);
  await openFolder(page, 'Fiscal');
  await expect(row(page, receipt)).toBeVisible();
  await openFolder(page, 'Fournisseurs');

  // A new version of the scan: the history keeps both, the new one is current.
  const scanV2 = `scan-${stamp}-v2.png`;
  await documentAction(page, scan, 'Versions');
  dialog = page.getByRole('dialog', { name: 'Versions du document' });
  const history = dialog.getByRole('table', { name: 'Versions du document' });
  await expect(history.getByRole('row')).toHaveCount(2);
  const versionZone = dialog.getByRole('region', { name: 'Déposer une nouvelle version' });
  await expect(versionZone.getByLabel('Choisir le fichier')).not.toHaveAttribute('multiple');
  await versionZone.getByLabel('Choisir le fichier').setInputFiles({
    name: scanV2,
    mimeType: 'image/png',
    buffer: png((stamp + 13) % 251),
  });
  await expect(dialog.getByRole('listitem').filter({ hasText: scanV2 }).getByRole('status')).toHaveText(
    'Ajouté ✓',
  );
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history.getByRole('row').filter({ hasText: scanV2 })).toContainText('v2');
  await expect(history.getByRole('row').filter({ hasText: scanV2 })).toContainText('Actuelle');
  await expect(history.getByRole('row').filter({ hasText: scan })).toContainText('v1');
  await expect(history.getByRole('row').filter({ hasText: scan }).getByText('Actuelle')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Fermer' }).last().click();
  await expect(dialog).toBeHidden();
  await expect(row(page, scanV2)).toContainText('v2');

  // Into the Corbeille, and back.
  await documentAction(page, scanV2, 'Supprimer');
  dialog = page.getByRole('alertdialog', { name: 'Mettre le document à la corbeille' });
  await dialog.getByRole('button', { name: 'Supprimer' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, scanV2)).toHaveCount(0);
  await page.getByRole('button', { name: 'Corbeille' }).click();
  const bin = page.getByRole('table', { name: 'Corbeille' });
  await expect(bin.getByRole('row').filter({ hasText: scanV2 })).toContainText('Fournisseurs');
  await page.getByRole('button', { name: `Restaurer ${scanV2}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${scanV2} a été restauré.` })).toBeAttached();
  await expect(page.getByText('La corbeille est vide.')).toBeVisible();
  await openFolder(page, 'Fournisseurs');
  await expect(row(page, scanV2)).toBeVisible();

  // A folder that holds documents cannot be deleted; an empty one can.
  await page.getByRole('button', { name: 'Supprimer', exact: true }).click();
  dialog = page.getByRole('alertdialog', { name: 'Supprimer le dossier' });
  await dialog.getByRole('button', { name: 'Supprimer' }).click();
  await expect(dialog.getByRole('alert')).toContainText('vide');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await openFolder(page, 'Juridique');
  await page.getByRole('button', { name: 'Nouveau dossier' }).click();
  dialog = page.getByRole('dialog', { name: 'Nouveau dossier dans « Juridique »' });
  await dialog.getByLabel('Nom du dossier').fill('À supprimer');
  await dialog.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { name: 'À supprimer', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Supprimer', exact: true }).click();
  dialog = page.getByRole('alertdialog', { name: 'Supprimer le dossier' });
  await dialog.getByRole('button', { name: 'Supprimer' }).click();
  await expect(dialog).toBeHidden();
  await expect(tree.getByRole('button', { name: startsWith('À supprimer') })).toHaveCount(0);

  // French full-text search: "factures" finds the PDF by its text only (stemming), filtered.
  const search = page.getByRole('search');
  await search
    .getByRole('searchbox', { name: 'Rechercher dans la GED du dossier' })
    .fill('factures papeterie');
  await search.getByRole('button', { name: 'Filtres' }).click();
  await search.getByLabel('Type', { exact: true }).selectOption({ label: 'PDF' });
  await search.getByLabel('Dossier', { exact: true }).selectOption({ label: 'Fournisseurs' });
  await search.getByRole('button', { name: 'Rechercher' }).click();
  await expect(
    page.getByRole('heading', { name: 'Résultats pour « factures papeterie »', level: 2 }),
  ).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '1 document trouvé' })).toBeVisible();
  const hit = row(page, renamed);
  await expect(hit).toContainText('Fournisseurs');
  await expect(hit).toContainText('Facture');
  // The same words, restricted to images: nothing.
  await search.getByLabel('Type', { exact: true }).selectOption({ label: 'PNG' });
  await search.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('Aucun document ne correspond.')).toBeVisible();
  await page.getByRole('button', { name: 'Effacer la recherche' }).click();
  await expect(page.getByRole('heading', { name: 'Pièces déposées', level: 2 })).toBeVisible();
});

/** A document filed by the firm's API (the journey above covers the screens). */
async function fileDocument(
  staff: Awaited<ReturnType<typeof staffSession>>,
  folderId: string,
  file: { name: string; mimeType: string; buffer: Buffer },
) {
  const { csrfToken } = (await (await staff.page.request.get('/api/session')).json()) as {
    csrfToken: string;
  };
  const res = await staff.page.request.post(`/api/ged/folders/${folderId}/documents`, {
    headers: { 'x-csrf-token': csrfToken },
    multipart: { file },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { results } = (await res.json()) as { results: { document: { id: string } }[] };
  return results[0]?.document.id ?? '';
}

test('on a phone, the client sees only what the firm shares, within « Limité à », and can open and download it', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  const staff = await staffSession(browser, baseURL);
  const stamp = Date.now();
  const payslip = `bulletin-${stamp}.pdf`;
  const hidden = `note-interne-${stamp}.png`;
  const taxReturn = `liasse-${stamp}.pdf`;
  const { phone, fileId, close } = await clientOnPhone(browser, baseURL, staff, 'Ferme Perrin');

  // The firm shares Social and Fiscal, with a document of Social kept hidden.
  const { items: folders } = (await (
    await staff.page.request.get(`/api/files/${fileId}/ged/folders`)
  ).json()) as {
    items: { id: string; name: string }[];
  };
  const folderId = (name: string) => folders.find((f) => f.name === name)?.id ?? '';
  for (const name of ['Social', 'Fiscal'])
    await staff.send('patch', `/api/ged/folders/${folderId(name)}`, { visibleToClient: true }, 200);
  await fileDocument(staff, folderId('Social'), {
    name: payslip,
    mimeType: 'application/pdf',
    buffer: pdf(`Bulletin de salaire ${stamp}`),
  });
  const hiddenId = await fileDocument(staff, folderId('Social'), {
    name: hidden,
    mimeType: 'image/png',
    buffer: png((stamp + 3) % 251),
  });
  await staff.send('patch', `/api/ged/documents/${hiddenId}`, { visibleToClient: false }, 200);
  await fileDocument(staff, folderId('Fiscal'), {
    name: taxReturn,
    mimeType: 'application/pdf',
    buffer: pdf(`Liasse fiscale ${stamp}`),
  });

  await phone
    .getByRole('navigation', { name: 'Navigation de l’espace client' })
    .getByRole('link', { name: 'Documents' })
    .click();
  await expect(phone.getByRole('heading', { name: 'Documents', level: 1 })).toBeVisible();
  const folderLink = (name: string) => phone.getByRole('link', { name: startsWith(name) });
  await expect(folderLink('Social')).toBeVisible();
  await expect(folderLink('Fiscal')).toBeVisible();
  for (const name of ['Comptabilité', 'Juridique', 'Paie', 'Bilans'])
    await expect(folderLink(name)).toHaveCount(0);
  // The count is of what the client may see: the hidden document is not counted.
  await expect(folderLink('Social')).toContainText('1 document');

  await folderLink('Social').click();
  const list = phone.getByRole('region', { name: 'Documents du dossier' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('link', { name: startsWith(payslip) })).toBeVisible();
  await expect(list.getByText(hidden)).toHaveCount(0);

  // Preview (a new tab, served inline) and download (the document's own name).
  const preview = list.getByRole('link', { name: startsWith(payslip) });
  await previewInNewTab(phone, preview, 'application/pdf');
  const [download] = await Promise.all([
    phone.waitForEvent('download'),
    list.getByRole('link', { name: `Télécharger ${payslip}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(payslip);

  // Search sees the PDF text of shared documents, never a hidden one.
  const searchBox = phone.getByRole('searchbox', { name: 'Rechercher dans vos documents' });
  await searchBox.fill('fiscales');
  await phone.getByRole('button', { name: 'Rechercher' }).click();
  await expect(phone.getByRole('link', { name: startsWith(taxReturn) })).toBeVisible();
  await searchBox.fill(hidden);
  await phone.getByRole('button', { name: 'Rechercher' }).click();
  await expect(phone.getByText('Aucun document ne correspond à votre recherche.')).toBeVisible();

  // The firm limits the contact to Social (Interlocuteurs > the contact > Dossiers client).
  const firm = staff.page;
  await firm.goto('/portefeuille');
  await firm.getByRole('link', { name: 'Interlocuteurs' }).click();
  const contactEmail = (await phone.request.get('/api/session').then((r) => r.json())) as {
    user?: { email?: string };
  };
  const email = contactEmail.user?.email ?? '';
  expect(email).not.toBe('');
  await firm.getByRole('searchbox', { name: /Rechercher un interlocuteur/ }).fill(email);
  await firm
    .getByRole('row', { name: new RegExp(email.replaceAll('.', '\\.')) })
    .getByRole('cell')
    .first()
    .click();
  const panel = firm.getByRole('complementary', { name: 'Lucie Garnier' });
  await panel.getByRole('button', { name: 'Dossiers client', exact: true }).click();
  await panel.getByRole('button', { name: 'Modifier « Limité à » pour Ferme Perrin' }).click();
  const limited = firm.getByRole('dialog', { name: 'Limité à' });
  await limited.getByRole('radio', { name: 'Seulement certains dossiers de la GED' }).check();
  await limited.getByRole('checkbox', { name: 'Social' }).check();
  await limited.getByRole('button', { name: 'Ok' }).click();
  await expect(limited).toBeHidden();
  await expect(panel.getByRole('row', { name: /Ferme Perrin/ })).toContainText('Social');

  // At once, on the phone: Social only; Fiscal's document is neither listed nor found.
  await phone.goto('/espace/documents');
  await expect(folderLink('Social')).toBeVisible();
  await expect(folderLink('Fiscal')).toHaveCount(0);
  await expect(folderLink('Pièces déposées')).toHaveCount(0);
  await searchBox.fill('fiscales');
  await phone.getByRole('button', { name: 'Rechercher' }).click();
  await expect(phone.getByText('Aucun document ne correspond à votre recherche.')).toBeVisible();
  await searchBox.fill('salaire');
  await phone.getByRole('button', { name: 'Rechercher' }).click();
  await expect(phone.getByRole('link', { name: startsWith(payslip) })).toBeVisible();

  await close();
  await staff.context.close();
});
