import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../src/demo/demo-seed.ts';
import type { MailboxApiMessage } from '../../src/modules/mail/mail.schemas.ts';
import { createFile } from './factories.ts';
import {
  isCallback,
  type OidcTestServer,
  type Page,
  signInThroughBrowser,
  TestBrowser,
} from './oidc-helpers.ts';

/** The client journey over real HTTP: staff API calls, the demo mailbox, the provider's pages. */

export type StaffApi = (method: string, path: string, body?: unknown) => Promise<Response>;

/** A staff member signed in through the provider; calls the API with the session and its CSRF token. */
export async function staffApi(
  server: OidcTestServer,
  input: { email: string; password: string } = { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD },
): Promise<StaffApi> {
  const browser = new TestBrowser(server.baseUrl);
  await signInThroughBrowser(browser, input);
  const session = (await (await browser.request('/api/session')).json()) as { csrfToken: string };
  const cookie = browser.cookie(server.app.sessionCookieName);
  if (!cookie) throw new Error('staff sign-in left no session');
  return (method, path, body) =>
    fetch(new URL(path, server.baseUrl), {
      method,
      headers: {
        cookie: `${cookie.name}=${cookie.value}`,
        'x-csrf-token': session.csrfToken,
        origin: server.baseUrl,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
}

async function ok(res: Promise<Response>, status: number) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`${answer.url}: ${answer.status} ${await answer.text()}`);
  return answer.status === 204 ? undefined : ((await answer.json()) as Record<string, unknown>);
}

/**
 * The staff's part (SPEC §3): Start on a new file of the firm, a contact, the link, the service
 * proposed. The invitation and the access mails are queued.
 */
export async function proposeStart(
  server: OidcTestServer,
  api: StaffApi,
  contact: { email: string; firstName: string; lastName: string },
  file: { name?: string; fileId?: string; contactId?: string } = {},
) {
  const fileId =
    file.fileId ?? (await createFile(server.ctx.db, server.firmId, file.name ? { name: file.name } : {})).id;
  if (!file.fileId) await ok(api('PUT', `/api/files/${fileId}/offer`, { offerCode: 'start' }), 200);
  const contactId = file.contactId ?? ((await ok(api('POST', '/api/contacts', contact), 201))?.id as string);
  await ok(api('POST', `/api/contacts/${contactId}/files`, { fileId }), 201);
  const service = await ok(
    api('POST', `/api/contacts/${contactId}/files/${fileId}/services`, { offerCode: 'start' }),
    201,
  );
  return { fileId, contactId, serviceId: service?.id as string };
}

/** Delivers the outbox, then reads the demo mailbox as the person would (newest first). */
export async function readMail(
  server: OidcTestServer,
  to: string,
  subject: RegExp,
): Promise<MailboxApiMessage> {
  await server.mail.deliverDue();
  const res = await fetch(`${server.baseUrl}/api/mailbox?to=${encodeURIComponent(to)}`);
  const { messages } = (await res.json()) as { messages: MailboxApiMessage[] };
  const mail = messages.find((m) => subject.test(m.subject ?? ''));
  if (!mail) throw new Error(`no mail "${subject}" to ${to}: ${messages.map((m) => m.subject).join(', ')}`);
  return mail;
}

/** « Accepter l’invitation » → « Accepter » → « Pas de compte ? Créez-en-un » → the form. */
export async function acceptWithNewAccount(
  browser: TestBrowser,
  invitationUrl: string,
  account: { firstName: string; lastName: string; password: string },
): Promise<Page> {
  const invitation = await browser.follow(invitationUrl);
  if (!invitation.body.includes('vous invite à rejoindre son organisation'))
    throw new Error(`not an invitation page (${invitation.status}): ${invitation.body.slice(0, 400)}`);
  const accepted = await browser.submit(invitation, {});
  const link = accepted.body.match(/href="([^"]+)">Pas de compte \? Créez-en-un<\/a>/)?.[1];
  if (!link) throw new Error(`no « Créez-en-un » link: ${accepted.body.slice(0, 400)}`);
  const form = await browser.follow(new URL(link, accepted.url).href);
  return browser.submit(form, {
    firstName: account.firstName,
    lastName: account.lastName,
    password: account.password,
    passwordConfirmation: account.password,
  });
}

/**
 * Follows the access mail's link (`/espace`) to the provider, signs in, answers the consent
 * when asked, and stops when the browser lands back in Passerelle.
 */
export async function signInFromAccessLink(
  browser: TestBrowser,
  accessUrl: string,
  input: { email: string; password: string },
) {
  const stopAt = isCallback(browser.baseUrl);
  const login = await browser.follow(accessUrl, {}, stopAt);
  if (!login.body.includes('Se connecter'))
    throw new Error(`not the sign-in page: ${login.body.slice(0, 400)}`);
  let next = await browser.submit(login, { email: input.email, password: input.password }, { stopAt });
  const consentAsked = !next.stopped && next.body.includes('name="decision"');
  if (consentAsked) next = await browser.submit(next, { decision: 'oui' }, { stopAt });
  if (!next.stopped)
    throw new Error(`sign-in did not reach the callback (${next.status}): ${next.body.slice(0, 400)}`);
  const callback = await browser.request(next.url);
  return {
    consentAsked,
    status: callback.status,
    location: callback.headers.get('location'),
    body: callback.status === 302 ? '' : await callback.text(),
  };
}
