import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { DEMO_ADMIN, signInAsStaff } from './support/staff.ts';

/** The firm imports a FEC on a file's dashboard, reads its report and the key figures; a hostile file is refused. */
const fecFile = path.resolve(import.meta.dirname, '../../shared/data/fec/000000000FEC20231231.txt');

async function signInAsAdmin(page: Page) {
  await signInAsStaff(page, DEMO_ADMIN, '/');
  await expect(page).toHaveURL(/\/portefeuille$/);
}

test('the firm imports a FEC on the file dashboard, sees the report and the key figures, then a hostile file is refused', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.getByRole('link', { name: 'Boulangerie Lefèvre' }).first().click();
  await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { name: 'Boulangerie Lefèvre', level: 1 })).toBeVisible();

  const section = page.getByRole('region', { name: 'Comptabilité (FEC)' });
  await expect(section.getByText('Aucun FEC n’a encore été importé pour ce dossier.')).toBeVisible();

  // The fiscal year is read from the file name (…FEC20231231.txt).
  await section.getByLabel('Fichier FEC').setInputFiles(fecFile);
  await expect(section.getByLabel('Début de l’exercice')).toHaveValue('2023-01-01');
  await expect(section.getByLabel('Fin de l’exercice')).toHaveValue('2023-12-31');
  await section.getByRole('button', { name: 'Importer', exact: true }).click();

  const report = section.getByRole('region', { name: /Rapport de validation/ });
  await expect(report.getByText('FEC accepté et importé')).toBeVisible();
  await expect(report.getByText(/Équilibre vérifié\s*: total débit .* = total crédit/)).toBeVisible();
  await expect(report.getByRole('table', { name: 'Totaux par journal' })).toBeVisible();

  const figures = section.getByRole('table', { name: 'Chiffres clés' });
  await expect(figures.getByRole('row', { name: /^Chiffre d’affaires/ })).toContainText('165 297,93 €');
  await expect(figures.getByRole('row', { name: /^Résultat net/ })).toContainText('3 988,38 €');
  await expect(figures.getByRole('row', { name: /^Disponibilités/ })).toContainText('91 971,08 €');

  const history = section.getByRole('table', { name: 'Historique des imports' });
  await expect(history.getByRole('row', { name: /000000000FEC20231231\.txt/ })).toContainText(
    'Accepté (en vigueur)',
  );

  // A hostile file: binary content under a FEC's name.
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 151 + 7) % 256;
  await section.getByLabel('Fichier FEC').setInputFiles({
    name: 'FEC20231231.txt',
    mimeType: 'text/plain',
    buffer: binary,
  });
  await section.getByRole('button', { name: 'Importer', exact: true }).click();
  const refusal = section.getByRole('alert').filter({ hasText: 'Le fichier a été refusé' });
  await expect(refusal).toContainText('Le fichier a été refusé : rien n’a été importé');
  const errors = section.locator('.fec-issues--error');
  await expect(errors).toContainText('Erreurs bloquantes');
  await expect(errors).toContainText('Ligne 1');
  await expect(errors).toContainText('données binaires');
  await expect(history.getByRole('row', { name: /FEC20231231\.txt.*Refusé/ })).toBeVisible();

  // The refused file changed nothing: the figures are still those of the accepted import.
  await expect(figures.getByRole('row', { name: /^Chiffre d’affaires/ })).toContainText('165 297,93 €');
});
