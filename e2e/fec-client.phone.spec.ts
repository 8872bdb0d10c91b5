import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { clientOnPhone, staffSession } from './support/client-account.ts';

const fecPath = path.resolve(import.meta.dirname, '../../shared/data/fec/000000000FEC20231231.txt');

test('the firm imports a FEC, the client sees the right figures and the charts on a phone', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  const staff = await staffSession(browser, baseURL);
  const { phone, fileId, close } = await clientOnPhone(browser, baseURL, staff, 'Fromagerie Mercier');

  // The firm side of the import is walked in the browser by fec.spec.ts; here it goes by the API.
  const { csrfToken } = (await (await staff.page.request.get('/api/session')).json()) as {
    csrfToken: string;
  };
  const imported = await staff.page.request.post(`/api/files/${fileId}/fec`, {
    headers: { 'x-csrf-token': csrfToken },
    multipart: {
      file: { name: '000000000FEC20231231.txt', mimeType: 'text/plain', buffer: readFileSync(fecPath) },
    },
  });
  expect(imported.status(), await imported.text()).toBe(201);

  await phone.reload();
  const figures = phone.getByRole('region', { name: 'Chiffres clés' });
  await expect(figures).toBeVisible();
  // To the euro, as the tax return computed from this file says.
  await expect(figures).toContainText(/165\s?298\s€/);
  await expect(figures).toContainText(/3\s?988\s€/);
  await expect(figures.getByRole('img', { name: /chiffre d’affaires/i }).first()).toBeVisible();
  await expect(phone.getByRole('figure').first()).toBeVisible();

  await close();
  await staff.context.close();
});
