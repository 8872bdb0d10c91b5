import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  contacts,
  idpAccounts,
  idpMemberships,
  invitations,
  outboxMails,
} from '../src/db/schema/index.ts';
import { checkNewPassword } from '../src/modules/identity/embedded/password-policy.ts';
import { hashPassword, verifyPassword } from '../src/modules/identity/embedded/passwords.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/**
 * The invitation link of the client's first mail, page by page, on the embedded provider:
 * « Accepter », « Pas de compte ? Créez-en-un », the account, and every way a link is spent.
 */
let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
const origin = 'http://127.0.0.1:3999';
let ipCounter = 0;
/** Each test speaks from its own address, so the per-address limits of one do not touch another. */
const newAddress = () => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db, { name: 'Cabinet Lambert & Associés' })).id;
  admin = await signInAsStaff(t, firmId);
});
afterAll(async () => t?.close());

const staff = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: admin.headers, ...(payload === undefined ? {} : { payload }) });

let contactCounter = 0;
/** Start on a new file, a new contact linked to it, the service proposed: the invitation leaves. */
async function invite(values: { email?: string; firstName?: string; lastName?: string } = {}) {
  const n = ++contactCounter;
  const email = values.email ?? `client.${n}@exemple.fr`;
  const file = await createFile(t.ctx.db, firmId);
  await staff('PUT', `/api/files/${file.id}/offer`, { offerCode: 'start' });
  const contact = await staff('POST', '/api/contacts', {
    firstName: values.firstName ?? 'Jeanne',
    lastName: values.lastName ?? `Durand${n}`,
    email,
  });
  expect(contact.statusCode).toBe(201);
  const contactId = contact.json().id as string;
  await staff('POST', `/api/contacts/${contactId}/files`, { fileId: file.id });
  const proposed = await staff('POST', `/api/contacts/${contactId}/files/${file.id}/services`, {
    offerCode: 'start',
  });
  expect(proposed.statusCode).toBe(201);
  return {
    email,
    contactId,
    fileId: file.id,
    serviceId: proposed.json().id as string,
    token: await lastToken(email),
  };
}

/** The token of the newest invitation mail to this address, as the person reads it. */
async function lastToken(email: string) {
  const [mail] = await t.ctx.db
    .select()
    .from(outboxMails)
    .where(and(eq(outboxMails.toAddress, email), eq(outboxMails.kind, 'client.invitation')))
    .orderBy(desc(outboxMails.createdAt))
    .limit(1);
  const token = mail?.textBody.match(/\/invitation\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no invitation mail to ${email}`);
  return token;
}

const invitationMails = async (email: string) =>
  t.ctx.db
    .select()
    .from(outboxMails)
    .where(and(eq(outboxMails.toAddress, email), eq(outboxMails.kind, 'client.invitation')));

type Form = Record<string, string>;
const page = (url: string, address = newAddress()) =>
  t.app.inject({ method: 'GET', url, remoteAddress: address });
const post = (
  url: string,
  form: Form = {},
  options: { address?: string; headers?: Record<string, string> } = {},
) =>
  t.app.inject({
    method: 'POST',
    url,
    remoteAddress: options.address ?? newAddress(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...options.headers },
    payload: new URLSearchParams(form).toString(),
  });

const strongPassword = 'Cheval-agrafe-pile-2026';
const newAccount = (overrides: Form = {}): Form => ({
  firstName: 'Jeanne',
  lastName: 'Durand',
  password: strongPassword,
  passwordConfirmation: strongPassword,
  ...overrides,
});

const accountFor = async (email: string) => {
  const rows = await t.ctx.db
    .select()
    .from(idpAccounts)
    .where(sql`lower(${idpAccounts.email}) = lower(${email})`);
  return rows;
};
const invitationRows = (contactId: string) =>
  t.ctx.db
    .select()
    .from(invitations)
    .where(eq(invitations.contactId, contactId))
    .orderBy(asc(invitations.createdAt));
const contactRow = async (contactId: string) =>
  (await t.ctx.db.select().from(contacts).where(eq(contacts.id, contactId)))[0];

describe('a valid invitation', () => {
  it('names the firm and offers « Accepter », then « Pas de compte ? Créez-en-un » to a newcomer', async () => {
    const { token, email } = await invite();
    const res = await page(`/invitation/${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('Cabinet Lambert &amp; Associés vous invite à rejoindre son organisation');
    expect(res.body).toContain(email);
    expect(res.body).toMatch(
      /<form method="post" action="\/invitation\/[^"]+">\s*<button[^>]*>Accepter<\/button>/,
    );

    const accepted = await post(`/invitation/${token}`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toContain('Aucun compte n’est encore associé à cette adresse e-mail.');
    expect(accepted.body).toContain(`href="/invitation/${token}/compte">Pas de compte ? Créez-en-un</a>`);

    const form = await page(`/invitation/${token}/compte`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Créer votre compte');
    expect(form.body).toMatch(
      new RegExp(`<input id="email"[^>]*readonly value="${email.replace('.', '\\.')}"`),
    );
    for (const label of ['Prénom', 'Nom', 'Mot de passe', 'Confirmation du mot de passe'])
      expect(form.body).toContain(`>${label}</label>`);
    // Prefilled from the contact record, editable.
    expect(form.body).toContain('value="Jeanne"');
  });

  it('creates the account with the invited e-mail, verified, joins the firm, marks the contact', async () => {
    const { token, email, contactId } = await invite({ firstName: 'Léa' });
    // Whatever e-mail the form sends, the account gets the invited one.
    const res = await post(
      `/invitation/${token}/compte`,
      newAccount({ email: 'autre@pirate.test', firstName: 'Léa' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Invitation acceptée');
    expect(res.body).toContain('href="/espace">Se connecter à mon espace</a>');

    const [account] = await accountFor(email);
    expect(account).toMatchObject({ email, emailVerified: true, givenName: 'Léa', familyName: 'Durand' });
    expect(await verifyPassword(account?.passwordHash ?? '', strongPassword)).toBe(true);
    expect(await accountFor('autre@pirate.test')).toEqual([]);
    const memberships = await t.ctx.db
      .select()
      .from(idpMemberships)
      .where(eq(idpMemberships.accountId, account?.id ?? ''));
    expect(memberships.map((m) => m.firmId)).toEqual([firmId]);
    expect((await contactRow(contactId))?.invitationState).toBe('accepted');
    const [invitation] = await invitationRows(contactId);
    expect(invitation?.usedAt).toBeInstanceOf(Date);
    const [audit] = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'invitation.accepted'), eq(auditEvents.targetId, contactId)));
    expect(audit).toMatchObject({ firmId, actorType: 'anonymous', targetType: 'contact' });
    expect(audit?.details).toMatchObject({ accountCreated: true, idpAccountId: account?.id });
  });

  it('asks an existing account for its password, then joins (and the address counts as verified)', async () => {
    const email = 'deja.inscrite@exemple.fr';
    const [existing] = await t.ctx.db
      .insert(idpAccounts)
      .values({ email, emailVerified: false, passwordHash: await hashPassword(strongPassword) })
      .returning();
    const { token, contactId } = await invite({ email });
    const accepted = await post(`/invitation/${token}`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toContain('>Connexion</h1>');
    expect(accepted.body).toContain(`action="/invitation/${token}/connexion"`);
    expect(accepted.body).not.toContain('Créez-en-un');
    // The creation form is not offered either: the account exists.
    expect((await page(`/invitation/${token}/compte`)).body).toContain(
      `action="/invitation/${token}/connexion"`,
    );

    const wrong = await post(`/invitation/${token}/connexion`, { password: 'pas-le-bon-mot-de-passe' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Mot de passe incorrect.');
    expect((await invitationRows(contactId))[0]?.usedAt).toBeNull();

    const right = await post(`/invitation/${token}/connexion`, { password: strongPassword });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('Invitation acceptée');
    const [after] = await accountFor(email);
    expect(after?.id).toBe(existing?.id);
    expect(after?.emailVerified).toBe(true);
    expect((await contactRow(contactId))?.invitationState).toBe('accepted');
  });
});

describe('spent links', () => {
  it('unknown', async () => {
    for (const token of ['x'.repeat(43), 'pas-un-jeton', '%3Cscript%3E']) {
      const res = await page(`/invitation/${token}`);
      expect(res.statusCode, token).toBe(404);
      expect(res.body).toContain('Invitation introuvable');
      expect(res.body).toContain('Recevoir une nouvelle invitation');
      expect(res.body).not.toContain('<script>');
    }
  });

  it('expired: refused on every step, nothing created', async () => {
    const { token, email, contactId } = await invite();
    await t.ctx.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.contactId, contactId));
    for (const res of [
      await page(`/invitation/${token}`),
      await post(`/invitation/${token}`),
      await page(`/invitation/${token}/compte`),
      await post(`/invitation/${token}/compte`, newAccount()),
    ]) {
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain('Ce lien d’invitation a expiré.');
      expect(res.body).toContain(`action="/invitation/${token}/renouveler"`);
    }
    expect(await accountFor(email)).toEqual([]);
  });

  it('reused: single use, the second acceptance is refused', async () => {
    const { token, email } = await invite();
    expect((await post(`/invitation/${token}/compte`, newAccount())).statusCode).toBe(200);
    const again = await post(
      `/invitation/${token}/compte`,
      newAccount({ password: 'Une-autre-phrase-2026', passwordConfirmation: 'Une-autre-phrase-2026' }),
    );
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Ce lien d’invitation a déjà été utilisé.');
    expect(again.body).toContain('href="/espace">Se connecter à mon espace</a>');
    expect((await page(`/invitation/${token}`)).body).toContain('déjà été utilisé');
    const accounts = await accountFor(email);
    expect(accounts).toHaveLength(1);
    expect(await verifyPassword(accounts[0]?.passwordHash ?? '', strongPassword)).toBe(true);
  });

  it('single use holds when two acceptances race', async () => {
    const { token, email, contactId } = await invite();
    const results = await Promise.all([
      post(`/invitation/${token}/compte`, newAccount()),
      post(`/invitation/${token}/compte`, newAccount()),
    ]);
    expect(results.filter((r) => r.body.includes('Invitation acceptée'))).toHaveLength(1);
    expect(await accountFor(email)).toHaveLength(1);
    const audits = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'invitation.accepted'), eq(auditEvents.targetId, contactId)));
    expect(audits).toHaveLength(1);
  });

  it('revoked: a newer link replaces it, and so does the firm', async () => {
    const { token, contactId } = await invite();
    await t.ctx.db
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(eq(invitations.contactId, contactId));
    const res = await page(`/invitation/${token}`);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Ce lien d’invitation n’est plus valable');
    expect((await post(`/invitation/${token}/compte`, newAccount())).statusCode).toBe(410);
  });

  it('the firm corrected the contact’s e-mail: the old link no longer creates an account', async () => {
    const { token, email, contactId } = await invite();
    await t.ctx.db.update(contacts).set({ email: 'corrigee@exemple.fr' }).where(eq(contacts.id, contactId));
    expect((await post(`/invitation/${token}/compte`, newAccount())).statusCode).toBe(410);
    expect(await accountFor(email)).toEqual([]);
  });
});

describe('asking for a fresh link', () => {
  it('sends a new invitation for an expired link, revokes the old ones, once per ten minutes', async () => {
    const { token, email, contactId } = await invite();
    await t.ctx.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000), createdAt: new Date(Date.now() - 3600_000) })
      .where(eq(invitations.contactId, contactId));
    const before = (await invitationMails(email)).length;

    const res = await post(`/invitation/${token}/renouveler`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Demande enregistrée');
    expect(await invitationMails(email)).toHaveLength(before + 1);
    const fresh = await lastToken(email);
    expect(fresh).not.toBe(token);
    const rows = await invitationRows(contactId);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.revokedAt === null && r.usedAt === null)).toHaveLength(1);
    expect((await page(`/invitation/${fresh}`)).statusCode).toBe(200);
    expect((await contactRow(contactId))?.invitationState).toBe('invited');

    // Asked again at once: same answer, no new mail.
    const again = await post(`/invitation/${token}/renouveler`);
    expect(again.body).toBe(res.body);
    expect(await invitationMails(email)).toHaveLength(before + 1);
  });

  it('answers the same page for an unknown link or a contact whose service was revoked, and sends nothing', async () => {
    const { token, email, contactId, serviceId } = await invite();
    await t.ctx.db
      .update(invitations)
      .set({ createdAt: new Date(Date.now() - 3600_000) })
      .where(eq(invitations.contactId, contactId));
    expect((await staff('POST', `/api/services/${serviceId}/revoke`)).statusCode).toBe(204);
    const before = (await invitationMails(email)).length;
    const revoked = await post(`/invitation/${token}/renouveler`);
    const unknown = await post(`/invitation/${'y'.repeat(43)}/renouveler`);
    expect(revoked.statusCode).toBe(200);
    expect(unknown.body).toBe(revoked.body);
    expect(await invitationMails(email)).toHaveLength(before);
  });

  it('is rate limited per address', async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++)
      expect((await post(`/invitation/${'z'.repeat(43)}/renouveler`, {}, { address })).statusCode).toBe(200);
    const limited = await post(`/invitation/${'z'.repeat(43)}/renouveler`, {}, { address });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Trop de tentatives');
  });
});

describe('the new password', () => {
  it('refuses short, common, e-mail-based and mismatched passwords with French messages', async () => {
    const { token, email, contactId } = await invite({ email: 'marc.antoine@exemple.fr' });
    const cases: [Form, string][] = [
      [newAccount({ password: 'Court-2026', passwordConfirmation: 'Court-2026' }), 'au moins 12 caractères'],
      [newAccount({ password: 'Motdepasse2026!', passwordConfirmation: 'Motdepasse2026!' }), 'trop courant'],
      [newAccount({ password: 'azertyuiop123', passwordConfirmation: 'azertyuiop123' }), 'trop courant'],
      [newAccount({ password: 'P@ssw0rd-1234', passwordConfirmation: 'P@ssw0rd-1234' }), 'trop courant'],
      [
        newAccount({ password: 'Marc.Antoine-2026!', passwordConfirmation: 'Marc.Antoine-2026!' }),
        'ne doit pas contenir votre adresse e-mail',
      ],
      [
        newAccount({ passwordConfirmation: `${strongPassword}x` }),
        'Les deux mots de passe ne correspondent pas.',
      ],
      [newAccount({ firstName: '  ' }), 'Indiquez votre prénom.'],
    ];
    for (const [form, message] of cases) {
      const res = await post(`/invitation/${token}/compte`, form);
      expect(res.statusCode, message).toBe(400);
      expect(res.body, message).toContain(message);
      expect(res.body).toContain('Le compte n’a pas été créé');
      expect(res.body).toContain('aria-invalid="true"');
      // The names typed are kept; the passwords are never sent back.
      expect(res.body).not.toContain(form.password);
    }
    expect(await accountFor(email)).toEqual([]);
    expect((await invitationRows(contactId))[0]?.usedAt).toBeNull();
  });

  it('applies the policy as documented', () => {
    const ok = (password: string, email = 'jeanne.martin@exemple.fr') =>
      checkNewPassword({ password, confirmation: password, email });
    expect(ok('Cheval-agrafe-pile-2026')).toEqual([]);
    expect(ok('une phrase de passe bien longue')).toEqual([]);
    expect(ok('a'.repeat(11))).toEqual(['too_short']);
    expect(ok('aaaaaaaaaaaa')).toEqual(['common']);
    expect(ok('abcabcabcabc')).toEqual(['common']);
    expect(ok('123456789012')).toEqual(['common']);
    expect(ok('Soleil123456!')).toEqual(['common']);
    expect(ok('MOT DE PASSE 2026')).toEqual(['common']);
    expect(ok('jeanne.martin99')).toEqual(['contains_email']);
    expect(ok('JeanneMartin-2026')).toEqual(['contains_email']);
    expect(ok('x'.repeat(257))).toEqual(['too_long']);
  });
});

describe('protection of the forms', () => {
  it('refuses a POST from another site or with neither Origin nor Referer', async () => {
    const { token, email } = await invite();
    const foreign = await post(`/invitation/${token}/compte`, newAccount(), {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    const bare = await t.app.inject({
      method: 'POST',
      url: `/invitation/${token}/compte`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(newAccount()).toString(),
    });
    expect(bare.statusCode).toBe(403);
    expect(bare.body).toContain('Cette demande ne provient pas de Passerelle.');
    // A browser under Referrer-Policy: same-origin that sends only the Referer is accepted.
    const viaReferer = await t.app.inject({
      method: 'POST',
      url: `/invitation/${token}/compte`,
      remoteAddress: newAddress(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        referer: `${origin}/invitation/${token}/compte`,
      },
      payload: new URLSearchParams(newAccount()).toString(),
    });
    expect(viaReferer.statusCode).toBe(200);
    expect(await accountFor(email)).toHaveLength(1);
  });

  it('rate-limits account creation per address, with a French page', async () => {
    const { token, email } = await invite();
    const address = newAddress();
    const weak = newAccount({ password: 'court', passwordConfirmation: 'court' });
    for (let i = 0; i < 10; i++) {
      const res = await post(`/invitation/${token}/compte`, weak, { address });
      expect(res.statusCode, `attempt ${i + 1}`).toBe(400);
    }
    const limited = await post(`/invitation/${token}/compte`, newAccount(), { address });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeTruthy();
    expect(limited.body).toContain('Trop de tentatives');
    expect(limited.body).toContain('<html lang="fr">');
    expect(await accountFor(email)).toEqual([]);
    // Another address is not held back by it.
    expect(
      (await post(`/invitation/${token}/compte`, newAccount(), { address: newAddress() })).statusCode,
    ).toBe(200);
  });

  it('rate-limits acceptance per address', async () => {
    const { token } = await invite();
    const address = newAddress();
    for (let i = 0; i < 10; i++)
      expect((await post(`/invitation/${token}`, {}, { address })).statusCode).toBe(200);
    expect((await post(`/invitation/${token}`, {}, { address })).statusCode).toBe(429);
  });
});
