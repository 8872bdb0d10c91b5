import type { ClientFileList } from '@passerelle/contracts/client-space';
import type { SessionResponse } from '@passerelle/contracts/session';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, contacts, idpAccounts, idpMemberships, users } from '../src/db/schema/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../src/demo/demo-seed.ts';
import { hashPassword } from '../src/modules/identity/embedded/passwords.ts';
import {
  acceptWithNewAccount,
  proposeStart,
  readMail,
  type StaffApi,
  signInFromAccessLink,
  staffApi,
} from './support/client-journey.ts';
import { type OidcTestServer, startOidcServer, TestBrowser } from './support/oidc-helpers.ts';

/**
 * SPEC §4 end to end over real HTTP, on a listening server with the embedded provider: the
 * staff proposes Start through the API, the client reads both mails in the demo mailbox,
 * accepts the invitation, creates an account, signs in from the access mail and consents.
 */
let s: OidcTestServer;
let api: StaffApi;
beforeAll(async () => {
  s = await startOidcServer();
  api = await staffApi(s);
});
afterAll(async () => s?.close());

const contactRow = async (id: string) =>
  (await s.ctx.db.select().from(contacts).where(eq(contacts.id, id)))[0];

describe('the client journey (parcours client)', () => {
  it('invitation → Accepter → Créez-en-un → account → access mail → sign-in → Oui → the client space', async () => {
    const email = 'jeanne.lefevre@boulangerie.test';
    const password = 'Farine-levain-four-2026';
    const { fileId, contactId } = await proposeStart(
      s,
      api,
      { email, firstName: 'Jeanne', lastName: 'Lefèvre' },
      { name: 'Boulangerie Lefèvre SARL' },
    );
    expect((await contactRow(contactId))?.invitationState).toBe('invited');

    // 1. The invitation mail: « Accepter l’invitation ».
    const invitationMail = await readMail(s, email, /vous invite à rejoindre son organisation/);
    expect(invitationMail.subject).toBe('Cabinet Démo vous invite à rejoindre son organisation');
    expect(invitationMail.html).toContain('Accepter l’invitation');
    const invitationUrl = invitationMail.links.find((l) => l.includes('/invitation/'));
    expect(invitationUrl).toMatch(new RegExp(`^${s.baseUrl}/invitation/[A-Za-z0-9_-]{43}$`));

    const client = new TestBrowser(s.baseUrl);
    const done = await acceptWithNewAccount(client, invitationUrl ?? '', {
      firstName: 'Jeanne',
      lastName: 'Lefèvre',
      password,
    });
    expect(done.status).toBe(200);
    expect(done.body).toContain('Invitation acceptée');
    expect((await contactRow(contactId))?.invitationState).toBe('accepted');
    const [account] = await s.ctx.db.select().from(idpAccounts).where(eq(idpAccounts.email, email));
    expect(account?.emailVerified).toBe(true);

    // 2. The access mail: the sign-in address and the identifier.
    const accessMail = await readMail(s, email, /espace collaboratif/);
    expect(accessMail.text).toContain(`Identifiant : ${email}`);
    const accessUrl = accessMail.links.find((l) => l.endsWith('/espace'));
    expect(accessUrl).toBe(`${s.baseUrl}/espace`);

    // 3. Sign-in at the provider, first-time consent « Oui », back in Passerelle.
    const signedIn = await signInFromAccessLink(client, accessUrl ?? '', { email, password });
    expect(signedIn.consentAsked).toBe(true);
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe('/espace');

    const session = (await (await client.request('/api/session')).json()) as SessionResponse;
    expect(session).toMatchObject({
      kind: 'client',
      firm: { id: s.firmId, name: 'Cabinet Démo' },
      user: { contactId, email, firstName: 'Jeanne', lastName: 'Lefèvre' },
    });
    const filesRes = await client.request('/api/client/files');
    expect(filesRes.status).toBe(200);
    const { items } = (await filesRes.json()) as ClientFileList;
    expect(items).toEqual([
      expect.objectContaining({
        id: fileId,
        name: 'Boulangerie Lefèvre SARL',
        offer: { code: 'start', label: 'Start' },
        firm: { id: s.firmId, name: 'Cabinet Démo' },
      }),
    ]);

    // Bound on (issuer, sub), first and last sign-in recorded, the sign-in audited as the client.
    const contact = await contactRow(contactId);
    const [user] = await s.ctx.db
      .select()
      .from(users)
      .where(eq(users.id, contact?.userId ?? ''));
    expect(user).toMatchObject({ issuer: `${s.baseUrl}/idp`, subject: account?.id });
    expect(contact?.firstSignInAt).toBeInstanceOf(Date);
    expect(contact?.lastSignInAt).toBeInstanceOf(Date);
    const [audit] = await s.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.sign_in'), eq(auditEvents.actorId, contactId)))
      .orderBy(desc(auditEvents.at));
    expect(audit).toMatchObject({ actorType: 'client', firmId: s.firmId, targetType: 'contact' });
    expect(audit?.details).toMatchObject({ boundAtThisSignIn: true });

    // The firm's pages stay closed to the client.
    expect((await client.request('/api/files')).status).toBe(403);
    expect((await client.request('/portefeuille')).status).toBe(403);

    // A later sign-in: no consent asked again, first sign-in unchanged.
    const firstSignInAt = contact?.firstSignInAt;
    const again = await signInFromAccessLink(new TestBrowser(s.baseUrl), accessUrl ?? '', {
      email,
      password,
    });
    expect(again.consentAsked).toBe(false);
    expect(again.location).toBe('/espace');
    const later = await contactRow(contactId);
    expect(later?.firstSignInAt?.getTime()).toBe(firstSignInAt?.getTime());
    expect(later?.lastSignInAt?.getTime()).toBeGreaterThanOrEqual(firstSignInAt?.getTime() ?? 0);

    // Revoking the service ends the open session's access at its next request.
    const services = (await (await api('GET', `/api/contacts/${contactId}/files`)).json()) as {
      items: { services: { id: string }[] }[];
    };
    const serviceId = services.items[0]?.services[0]?.id;
    expect((await api('POST', `/api/services/${serviceId}/revoke`)).status).toBe(204);
    expect((await client.request(`/api/client/files/${fileId}`)).status).toBe(404);
    expect(((await (await client.request('/api/client/files')).json()) as ClientFileList).items).toEqual([]);

    // And the next sign-in finds no access.
    const refused = await signInFromAccessLink(new TestBrowser(s.baseUrl), accessUrl ?? '', {
      email,
      password,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Aucun accès');
  });

  it('a contact on several files lists them all; a returnTo in the space is kept', async () => {
    const email = 'paul.girard@atelier.test';
    const password = 'Aiguille-bobine-fil-2026';
    const first = await proposeStart(
      s,
      api,
      { email, firstName: 'Paul', lastName: 'Girard' },
      { name: 'Atelier Girard' },
    );
    await proposeStart(
      s,
      api,
      { email, firstName: 'Paul', lastName: 'Girard' },
      { name: 'SCI Girard', contactId: first.contactId },
    );
    const invitation = await readMail(s, email, /vous invite/);
    const client = new TestBrowser(s.baseUrl);
    await acceptWithNewAccount(client, invitation.links.find((l) => l.includes('/invitation/')) ?? '', {
      firstName: 'Paul',
      lastName: 'Girard',
      password,
    });
    const target = `/espace/dossiers/${first.fileId}/documents`;
    const signedIn = await signInFromAccessLink(client, `${s.baseUrl}${target}`, { email, password });
    expect(signedIn.location).toBe(target);
    const { items } = (await (await client.request('/api/client/files')).json()) as ClientFileList;
    expect(items.map((f) => f.name)).toEqual(['Atelier Girard', 'SCI Girard']);
  });

  it('staff take precedence: a staff member who is also a contact signs in to the back office', async () => {
    await proposeStart(s, api, { email: DEMO_ADMIN_EMAIL, firstName: 'Camille', lastName: 'Martin' });
    const browser = new TestBrowser(s.baseUrl);
    const signedIn = await signInFromAccessLink(browser, `${s.baseUrl}/espace`, {
      email: DEMO_ADMIN_EMAIL,
      password: DEMO_PASSWORD,
    });
    // Staff never land in the client space, whose pages refuse them.
    expect(signedIn.location).toBe('/');
    const session = (await (await browser.request('/api/session')).json()) as SessionResponse;
    expect(session.kind).toBe('staff');
    const [contact] = await s.ctx.db
      .select()
      .from(contacts)
      .where(sql`lower(${contacts.email}) = lower(${DEMO_ADMIN_EMAIL})`);
    expect(contact?.userId).toBeNull();
  });

  it('an existing account accepts with its password and joins the organization', async () => {
    const email = 'deja.client@ailleurs.test';
    const password = 'Compte-existant-long-2026';
    const created = await s.ctx.db
      .insert(idpAccounts)
      .values({
        email,
        emailVerified: true,
        givenName: 'Inès',
        familyName: 'Roux',
        passwordHash: await hashPassword(password),
      })
      .returning();
    const { contactId } = await proposeStart(s, api, { email, firstName: 'Inès', lastName: 'Roux' });
    const invitation = await readMail(s, email, /vous invite/);
    const browser = new TestBrowser(s.baseUrl);
    const page = await browser.follow(invitation.links.find((l) => l.includes('/invitation/')) ?? '');
    const signIn = await browser.submit(page, {});
    expect(signIn.body).toContain(
      'Connectez-vous avec votre compte pour rejoindre l’organisation de Cabinet Démo.',
    );
    const done = await browser.submit(signIn, { password });
    expect(done.body).toContain('Invitation acceptée');
    const memberships = await s.ctx.db
      .select()
      .from(idpMemberships)
      .where(eq(idpMemberships.accountId, created[0]?.id ?? ''));
    expect(memberships.map((m) => m.firmId)).toEqual([s.firmId]);
    expect((await contactRow(contactId))?.invitationState).toBe('accepted');
    // The consent page now names the organization joined.
    const consent = await browser.follow('/auth/login?returnTo=%2Fespace', {}, (next) =>
      next.pathname.startsWith('/auth/callback'),
    );
    const afterLogin = await browser.submit(consent, { email, password });
    expect(afterLogin.body).toContain('<dt>Organisation</dt><dd>Cabinet Démo</dd>');
  });
});
