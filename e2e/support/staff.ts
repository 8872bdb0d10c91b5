import { expect, type Page } from '@playwright/test';

export const DEMO_ADMIN = { email: 'admin@cabinet-demo.test', password: 'Demo-Passerelle-2026' };

/**
 * Signs a staff member in at the embedded provider. The provider remembers consent per
 * account, so "Oui" is asked only the first time in a run: answer it when it comes.
 */
export async function signInAsStaff(page: Page, who = DEMO_ADMIN, path = '/') {
  await page.goto(path);
  await expect(page).toHaveURL(/\/idp\//);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Mot de passe').fill(who.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await answerConsentIfAsked(page);
  await page.waitForURL((url) => !url.pathname.startsWith('/idp/'));
}

/** Waits until either the consent page or the application shows, and says "Oui" to the former. */
export async function answerConsentIfAsked(page: Page) {
  const consent = page.getByRole('button', { name: 'Oui' });
  const outcome = await Promise.race([
    consent.waitFor({ state: 'visible' }).then(() => 'consent' as const),
    page.waitForURL((url) => !url.pathname.startsWith('/idp/')).then(() => 'app' as const),
  ]);
  if (outcome === 'consent') await consent.click();
}
