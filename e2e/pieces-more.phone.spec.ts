import { expect, test } from '@playwright/test';
import { clientOnPhone, staffSession } from './support/client-account.ts';
import { pdf } from './support/files.ts';

/**
 * A busy month (SPEC §6.3): more pieces than one page of the client's list (100). The client sees
 * the newest hundred, then « Afficher plus de pièces » brings the rest, each piece once; in the GED
 * (SPEC §6.2), the same pieces in « Pièces déposées » come 50 at a time with « Afficher plus de
 * documents ».
 */
test('a month with more pieces than a page: the client reads them all with « Afficher plus »', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const baseURL = testInfo.project.use.baseURL;
  const staff = await staffSession(browser, baseURL);
  const { phone, fileId, close } = await clientOnPhone(browser, baseURL, staff, 'Boulangerie Lefèvre');
  const stamp = Date.now();
  // 108 pieces, 18 per request (the API takes up to 20 files at once).
  const { csrfToken } = (await (await phone.request.get('/api/session')).json()) as { csrfToken: string };
  for (let batch = 0; batch < 6; batch++) {
    const multipart: Record<string, { name: string; mimeType: string; buffer: Buffer }> = {};
    for (let i = 0; i < 18; i++) {
      const n = batch * 18 + i;
      multipart[`file${i}`] = {
        name: `ticket-${n}.pdf`,
        mimeType: 'application/pdf',
        buffer: pdf(`Ticket ${n} ${stamp}`),
      };
    }
    const res = await phone.request.post(`/api/client/files/${fileId}/pieces`, {
      multipart,
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(res.status()).toBe(201);
  }

  await phone
    .getByRole('navigation', { name: 'Navigation de l’espace client' })
    .getByRole('link', { name: 'Déposer' })
    .click();
  const month = phone.getByRole('region', { name: 'Pièces envoyées ce mois-ci' });
  await expect(month.getByRole('listitem')).toHaveCount(100);
  await expect(month.getByText('ticket-107.pdf')).toBeVisible();
  await expect(month.getByText('ticket-0.pdf', { exact: true })).toHaveCount(0);
  const more = month.getByRole('button', { name: 'Afficher plus de pièces' });
  await more.click();
  await expect(month.getByRole('listitem')).toHaveCount(108);
  await expect(month.getByText('ticket-0.pdf', { exact: true })).toBeVisible();
  await expect(more).toHaveCount(0);

  await phone
    .getByRole('navigation', { name: 'Navigation de l’espace client' })
    .getByRole('link', { name: 'Documents' })
    .click();
  await phone.getByRole('link', { name: /^Pièces déposées/ }).click();
  const list = phone.getByRole('region', { name: 'Documents du dossier' });
  await expect(list.getByRole('listitem')).toHaveCount(50);
  const moreDocuments = list.getByRole('button', { name: 'Afficher plus de documents' });
  await moreDocuments.click();
  await expect(list.getByRole('listitem')).toHaveCount(100);
  await moreDocuments.click();
  await expect(list.getByRole('listitem')).toHaveCount(108);
  await expect(moreDocuments).toHaveCount(0);
  await close();
});
