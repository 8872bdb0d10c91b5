import { expect, test } from '@playwright/test';
import { answerConsentIfAsked } from './support/staff.ts';

test('the firm administrator signs in through the identity provider, lands on Portefeuille, signs out', async ({
  page,
}) => {
  await page.goto('/');
  // Redirected to the embedded OpenID provider's sign-in page.
  await expect(page).toHaveURL(/\/idp\//);
  await expect(page.getByRole('heading', { name: /connexion/i })).toBeVisible();

  await page.getByLabel('E-mail').fill('admin@cabinet-demo.test');
  await page.getByLabel('Mot de passe').fill('Demo-Passerelle-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();

  // First sign-in of the run: the provider asks to allow Passerelle to use the account.
  await answerConsentIfAsked(page);

  await expect(page).toHaveURL(/\/portefeuille$/);
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Boulangerie Lefèvre' })).toBeVisible();

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL(/\/idp\//);
  await page.goto('/portefeuille');
  await expect(page).toHaveURL(/\/idp\//);
});
