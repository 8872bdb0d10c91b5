import type { ClientFileList, ClientFileOverview } from '@passerelle/contracts/client-space';
import type { SessionResponse } from '@passerelle/contracts/session';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  collaborativeServices,
  contactFiles,
  contacts,
  fileOffers,
  idpAccounts,
} from '../src/db/schema/index.ts';
import { landingFor } from '../src/modules/identity/auth.service.ts';
import { proposeStart, type StaffApi, signInFromAccessLink, staffApi } from './support/client-journey.ts';
import { createContact, createFile, createFirm } from './support/factories.ts';
import {
  createIdpAccount,
  type OidcTestServer,
  startOidcServer,
  TestBrowser,
} from './support/oidc-helpers.ts';

/**
 * Binding a person to a client contact (SPEC §5): keyed on (issuer, sub), matched to the
 * invited e-mail once, at the first sign-in, and only when the provider asserts it verified.
 * Accounts are made directly in the directory here; the invitation pages have their own tests.
 */
let s: OidcTestServer;
let api: StaffApi;
beforeAll(async () => {
  s = await startOidcServer();
  api = await staffApi(s);
});
afterAll(async () => s?.close());

const PASSWORD = 'Une-phrase-assez-longue-2026';
const contactRow = async (id: string) =>
  (await s.ctx.db.select().from(contacts).where(eq(contacts.id, id)))[0];

async function signIn(email: string, returnTo = '/espace') {
  const browser = new TestBrowser(s.baseUrl);
  const result = await signInFromAccessLink(browser, `${s.baseUrl}${returnTo}`, {
    email,
    password: PASSWORD,
  });
  return { browser, ...result };
}

const lastFailure = async () => {
  const [row] = await s.ctx.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, 'auth.sign_in_failed'))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  return row?.details;
};

describe('client binding at sign-in', () => {
  it('does not bind when the provider does not assert the e-mail verified', async () => {
    const email = 'non.verifiee@client.test';
    const { contactId } = await proposeStart(s, api, { email, firstName: 'Nina', lastName: 'Verif' });
    await createIdpAccount(s, { email, password: PASSWORD, emailVerified: false });
    const { browser, status, body } = await signIn(email);
    expect(status).toBe(403);
    expect(body).toContain('Aucun accès');
    expect(body).toContain('n’a pas confirmé que cette adresse e-mail vous appartient');
    expect((await contactRow(contactId))?.userId).toBeNull();
    expect(browser.cookie(s.app.sessionCookieName)).toBeUndefined();
    expect(await lastFailure()).toMatchObject({ reason: 'no_access', emailVerified: false });
  });

  it('person A cannot bind to contact B, nor see B’s file', async () => {
    const a = await proposeStart(s, api, { email: 'anne@client.test', firstName: 'Anne', lastName: 'A' });
    const b = await proposeStart(s, api, { email: 'bruno@client.test', firstName: 'Bruno', lastName: 'B' });
    await createIdpAccount(s, { email: 'anne@client.test', password: PASSWORD });
    const { browser, status } = await signIn('anne@client.test');
    expect(status).toBe(302);
    const session = (await (await browser.request('/api/session')).json()) as SessionResponse;
    expect(session.user).toMatchObject({ contactId: a.contactId });
    expect((await contactRow(b.contactId))?.userId).toBeNull();
    expect((await browser.request(`/api/client/files/${b.fileId}`)).status).toBe(404);
    const { items } = (await (await browser.request('/api/client/files')).json()) as ClientFileList;
    expect(items.map((f) => f.id)).toEqual([a.fileId]);
  });

  it('an account with no contact anywhere, or a contact without a live service, gets « Aucun accès »', async () => {
    await createIdpAccount(s, { email: 'personne@nulle-part.test', password: PASSWORD });
    expect((await signIn('personne@nulle-part.test')).status).toBe(403);

    // Linked to a file with Start, but no service proposed: not bound either.
    const created = await api('POST', '/api/contacts', {
      email: 'lie.seulement@client.test',
      firstName: 'L',
      lastName: 'S',
    });
    const contactId = ((await created.json()) as { id: string }).id;
    await createIdpAccount(s, { email: 'lie.seulement@client.test', password: PASSWORD });
    const { status, body } = await signIn('lie.seulement@client.test');
    expect(status).toBe(403);
    expect(body).toContain('Aucun accès');
    expect((await contactRow(contactId))?.userId).toBeNull();
  });

  it('later sign-ins use (issuer, sub): an e-mail change keeps access, the next holder of the address gets none', async () => {
    const email = 'camille.ancienne@client.test';
    const { contactId, fileId } = await proposeStart(s, api, {
      email,
      firstName: 'Camille',
      lastName: 'Roy',
    });
    const account = await createIdpAccount(s, { email, password: PASSWORD });
    expect((await signIn(email)).status).toBe(302);
    const boundTo = (await contactRow(contactId))?.userId;
    expect(boundTo).toBeTruthy();

    // The person changes their e-mail at the provider: still the same contact.
    await s.ctx.db
      .update(idpAccounts)
      .set({ email: 'camille.nouvelle@ailleurs.test' })
      .where(eq(idpAccounts.id, account.id));
    const moved = await signIn('camille.nouvelle@ailleurs.test');
    expect(moved.status).toBe(302);
    const overview = await moved.browser.request(`/api/client/files/${fileId}`);
    expect(overview.status).toBe(200);
    expect(((await overview.json()) as ClientFileOverview).id).toBe(fileId);

    // Someone else now holds the old address, verified: the contact is not theirs.
    await createIdpAccount(s, { email, password: PASSWORD, emailVerified: true });
    const newcomer = await signIn(email);
    expect(newcomer.status).toBe(403);
    expect(newcomer.body).toContain('Aucun accès');
    expect((await contactRow(contactId))?.userId).toBe(boundTo);
  });

  it('binds in another firm that invites the person later; the oldest firm with access wins', async () => {
    const email = 'multi@client.test';
    const first = await proposeStart(s, api, { email, firstName: 'Max', lastName: 'Multi' });
    await createIdpAccount(s, { email, password: PASSWORD });
    expect((await signIn(email)).status).toBe(302);
    const userId = (await contactRow(first.contactId))?.userId;

    // Another firm (same deployment issuer) proposes Start to the same address.
    const other = await createFirm(s.ctx.db, { name: 'Cabinet Voisin' });
    const file = await createFile(s.ctx.db, other.id, { name: 'Garage Multi' });
    const theirs = await createContact(s.ctx.db, other.id, { email: email.toUpperCase() });
    await s.ctx.db.insert(fileOffers).values({ fileId: file.id, firmId: other.id, offerCode: 'start' });
    await s.ctx.db.insert(contactFiles).values({ contactId: theirs.id, fileId: file.id, firmId: other.id });
    await s.ctx.db
      .insert(collaborativeServices)
      .values({ firmId: other.id, fileId: file.id, contactId: theirs.id, offerCode: 'start' });

    const again = await signIn(email);
    expect((await contactRow(theirs.id))?.userId).toBe(userId);
    const session = (await (await again.browser.request('/api/session')).json()) as SessionResponse;
    expect(session.firm.id).toBe(s.firmId);

    // Once the first firm revokes, the next sign-in opens the other firm's space.
    const links = (await (await api('GET', `/api/contacts/${first.contactId}/files`)).json()) as {
      items: { services: { id: string }[] }[];
    };
    await api('POST', `/api/services/${links.items[0]?.services[0]?.id}/revoke`);
    const later = await signIn(email);
    const laterSession = (await (await later.browser.request('/api/session')).json()) as SessionResponse;
    expect(laterSession).toMatchObject({ kind: 'client', firm: { name: 'Cabinet Voisin' } });
    const { items } = (await (await later.browser.request('/api/client/files')).json()) as ClientFileList;
    expect(items.map((f) => f.name)).toEqual(['Garage Multi']);
  });

  it('lands clients in their space, whatever they were going to outside it', () => {
    expect(landingFor('client', '/portefeuille')).toBe('/espace');
    expect(landingFor('client', '/')).toBe('/espace');
    expect(landingFor('client', '/espace/dossiers/x?y=1')).toBe('/espace/dossiers/x?y=1');
    expect(landingFor('client', '/espacement')).toBe('/espace');
    expect(landingFor('staff', '/espace')).toBe('/');
    expect(landingFor('staff', '/portefeuille?q=a')).toBe('/portefeuille?q=a');
  });
});
