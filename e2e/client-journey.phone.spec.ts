import { type APIRequestContext, devices, expect, type Page, test } from '@playwright/test';

/**
 * The client's journey (SPEC §4) on a phone, after the firm's staff proposed Start through the API
 * (the firm's screens have their own journey): the invitation mail, « Accepter l’invitation »,
 * « Accepter », « Pas de compte ? Créez-en-un », the account, the access mail, the sign-in, the
 * consent « Oui », the client space; then the firm revokes the service and the space says so.
 */

const ADMIN = { email: 'admin@cabinet-demo.test', password: 'Demo-Passerelle-2026' };
const FILE_NAME = 'Fromagerie Mercier';

type MailboxMessage = { subject: string | null; links: string[] };

/** The demo mailbox fills as the outbox worker delivers: ask until the mail is there. */
async function mailLink(
  request: APIRequestContext,
  to: string,
  subject: RegExp,
  link: RegExp,
): Promise<string> {
  let found = '';
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/mailbox?to=${encodeURIComponent(to)}`);
        const { messages } = (await res.json()) as { messages: MailboxMessage[] };
        found = messages.find((m) => subject.test(m.subject ?? ''))?.links.find((l) => link.test(l)) ?? '';
        return found;
      },
      { timeout: 30_000, message: `mail "${subject}" to ${to}` },
    )
    .not.toBe('');
  return found;
}

async function signInAtProvider(page: Page, account: { email: string; password: string }) {
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('a client accepts the invitation on their phone, creates an account, signs in and sees their file; the firm revokes and the space says so', async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;

  // The firm's staff, in their own browser: Start on a demo file, a contact, the link, the service.
  const staffContext = await browser.newContext({ baseURL, locale: 'fr-FR' });
  const staffPage = await staffContext.newPage();
  await staffPage.goto('/portefeuille');
  await signInAtProvider(staffPage, ADMIN);
  // First sign-in of this server: the provider asks for consent; later ones go straight through.
  const consent = staffPage.getByRole('button', { name: 'Oui' });
  await expect(consent.or(staffPage.getByRole('heading', { name: 'Portefeuille' }))).toBeVisible();
  if (await consent.isVisible()) await consent.click();
  await staffPage.waitForURL(/\/portefeuille$/);

  const staff = staffPage.request;
  const { csrfToken } = (await (await staff.get('/api/session')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const send = async (method: 'post' | 'put', url: string, data: object, status: number) => {
    const res = await staff[method](url, { data, headers });
    expect(res.status(), `${method.toUpperCase()} ${url}: ${await res.text()}`).toBe(status);
    return res.status() === 204
      ? {}
      : ((await res.json()) as { id?: string; items?: { id: string; name: string }[] });
  };
  const files = (await (await staff.get(`/api/files?q=${encodeURIComponent(FILE_NAME)}`)).json()) as {
    items: { id: string; name: string }[];
  };
  const fileId = files.items.find((f) => f.name === FILE_NAME)?.id ?? '';
  expect(fileId).not.toBe('');
  await send('put', `/api/files/${fileId}/offer`, { offerCode: 'start' }, 200);
  const email = `client.${Date.now()}@fromagerie-mercier.test`;
  const contact = await send(
    'post',
    '/api/contacts',
    { lastName: 'Mercier', firstName: 'Hélène', email },
    201,
  );
  await send('post', `/api/contacts/${contact.id}/files`, { fileId }, 201);
  const service = await send(
    'post',
    `/api/contacts/${contact.id}/files/${fileId}/services`,
    { offerCode: 'start' },
    201,
  );

  // The client, on their phone, in a browser that has never seen Passerelle.
  const clientContext = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'fr-FR' });
  const phone = await clientContext.newPage();

  const invitationLink = await mailLink(
    phone.request,
    email,
    /vous invite à rejoindre son organisation/,
    /\/invitation\//,
  );
  await phone.goto(invitationLink);
  await expect(
    phone.getByRole('heading', { name: 'Cabinet Démo vous invite à rejoindre son organisation' }),
  ).toBeVisible();
  await phone.getByRole('button', { name: 'Accepter' }).click();
  await phone.getByRole('link', { name: 'Pas de compte ? Créez-en-un' }).click();

  await expect(phone.getByRole('heading', { name: 'Créer votre compte' })).toBeVisible();
  await expect(phone.getByLabel('E-mail')).toHaveValue(email);
  await expect(phone.getByLabel('Prénom')).toHaveValue('Hélène');
  const password = 'Tomme-de-Savoie-affinee-2026';
  await phone.getByLabel('Nom', { exact: true }).fill('Mercier');
  await phone.getByLabel('Mot de passe', { exact: true }).fill(password);
  await phone.getByLabel('Confirmation du mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(phone.getByRole('heading', { name: 'Invitation acceptée' })).toBeVisible();

  // The access mail: its link, the identifier, the account's password, the consent.
  const accessLink = await mailLink(phone.request, email, /espace collaboratif/, /\/espace$/);
  await phone.goto(accessLink);
  await signInAtProvider(phone, { email, password });
  await phone.getByRole('button', { name: 'Oui' }).click();

  await expect(phone).toHaveURL(/\/espace$/);
  const openFile = phone.getByRole('region', { name: 'Dossier ouvert' });
  await expect(openFile.getByText(FILE_NAME)).toBeVisible();
  await expect(openFile.getByText('Offre Start', { exact: true })).toBeVisible();
  for (const grant of ['Documents', 'Déposer des pièces', 'Tableau de bord'])
    await expect(openFile.getByRole('listitem').filter({ hasText: grant })).toBeVisible();
  await expect(phone.getByRole('navigation', { name: 'Navigation de l’espace client' })).toBeVisible();

  // The firm revokes the service: the client's next request finds no file.
  await send('post', `/api/services/${service.id}/revoke`, {}, 204);
  await phone.reload();
  await expect(phone.getByText('Votre accès à ce dossier a été retiré par le cabinet.')).toBeVisible();
  await expect(phone.getByRole('region', { name: 'Dossier ouvert' })).toHaveCount(0);

  await staffContext.close();
  await clientContext.close();
});
