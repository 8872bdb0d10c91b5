import { type APIRequestContext, type Browser, devices, expect, type Page } from '@playwright/test';
import { DEMO_ADMIN, signInAsStaff } from './staff.ts';

type MailboxMessage = { subject: string | null; links: string[] };

/** The demo mailbox fills as the outbox worker delivers: ask until the mail is there. */
export async function mailLink(request: APIRequestContext, to: string, subject: RegExp, link: RegExp) {
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

/** A signed-in staff page and an API sender carrying its CSRF token. */
export async function staffSession(browser: Browser, baseURL: string | undefined) {
  // The firm works on a desktop screen, whatever device the project emulates.
  const context = await browser.newContext({ ...devices['Desktop Chrome'], baseURL, locale: 'fr-FR' });
  const page = await context.newPage();
  await signInAsStaff(page, DEMO_ADMIN, '/portefeuille');
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const send = async <T>(method: 'post' | 'put' | 'patch', url: string, data: object, status: number) => {
    const res = await page.request[method](url, { data, headers: { 'x-csrf-token': csrfToken } });
    expect(res.status(), `${method.toUpperCase()} ${url}: ${await res.text()}`).toBe(status);
    return (res.status() === 204 ? {} : await res.json()) as T;
  };
  return { context, page, send };
}

/**
 * Through the firm's API: Start on the named demo file, a new contact linked to it and the
 * service proposed. Then, on a phone, the contact accepts the invitation, creates their account
 * and signs in to their space (SPEC §4). Returns the phone page, on /espace.
 */
export async function clientOnPhone(
  browser: Browser,
  baseURL: string | undefined,
  staff: Awaited<ReturnType<typeof staffSession>>,
  fileName: string,
): Promise<{ phone: Page; fileId: string; close: () => Promise<void> }> {
  const files = (await (
    await staff.page.request.get(`/api/files?q=${encodeURIComponent(fileName)}`)
  ).json()) as {
    items: { id: string; name: string }[];
  };
  const fileId = files.items.find((f) => f.name === fileName)?.id ?? '';
  expect(fileId, fileName).not.toBe('');
  await staff.send('put', `/api/files/${fileId}/offer`, { offerCode: 'start' }, 200);
  const email = `client.${Date.now()}@passerelle-e2e.test`;
  const contact = await staff.send<{ id: string }>(
    'post',
    '/api/contacts',
    { lastName: 'Garnier', firstName: 'Lucie', email },
    201,
  );
  await staff.send('post', `/api/contacts/${contact.id}/files`, { fileId }, 201);
  await staff.send(
    'post',
    `/api/contacts/${contact.id}/files/${fileId}/services`,
    { offerCode: 'start' },
    201,
  );

  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'fr-FR' });
  const phone = await context.newPage();
  await phone.goto(
    await mailLink(phone.request, email, /vous invite à rejoindre son organisation/, /\/invitation\//),
  );
  await phone.getByRole('button', { name: 'Accepter' }).click();
  await phone.getByRole('link', { name: 'Pas de compte ? Créez-en-un' }).click();
  const password = 'Pieces-Comptables-2026!';
  await phone.getByLabel('Nom', { exact: true }).fill('Garnier');
  await phone.getByLabel('Mot de passe', { exact: true }).fill(password);
  await phone.getByLabel('Confirmation du mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(phone.getByRole('heading', { name: 'Invitation acceptée' })).toBeVisible();

  await phone.goto(await mailLink(phone.request, email, /espace collaboratif/, /\/espace$/));
  await phone.getByLabel('E-mail').fill(email);
  await phone.getByLabel('Mot de passe').fill(password);
  await phone.getByRole('button', { name: 'Se connecter' }).click();
  await phone.getByRole('button', { name: 'Oui' }).click();
  await expect(phone).toHaveURL(/\/espace$/);
  return { phone, fileId, close: () => context.close() };
}
