import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations, outboxMails } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsStaff } from './support/factories.ts';

/** The firm's journey through the API: offer, roles, contacts, links, services, widget, audit. */
let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
let reader: Awaited<ReturnType<typeof signInAsStaff>>;
let other: Awaited<ReturnType<typeof signInAsStaff>>;
let fileId: string;
let otherFirmFileId: string;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db, { name: 'Cabinet Test' })).id;
  const otherFirmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  reader = await signInAsStaff(t, firmId, 'lecture_seule');
  other = await signInAsStaff(t, otherFirmId);
  fileId = (await createFile(t.ctx.db, firmId, { code: 'BOUL01', name: 'Boulangerie Lefèvre' })).id;
  otherFirmFileId = (await createFile(t.ctx.db, otherFirmId)).id;
});
afterAll(async () => t?.close());

type Who = { headers: Record<string, string> };
const call = (
  who: Who | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url,
    headers: who?.headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe('collaborative offer on a file', () => {
  it('lists the catalog with Start, what it grants and what it does not', async () => {
    const res = await call(admin, 'GET', '/api/offers');
    expect(res.statusCode).toBe(200);
    const start = res.json().items.find((o: { code: string }) => o.code === 'start');
    expect(start.label).toBe('Start');
    expect(start.capabilities).toEqual(['ged.read', 'pieces.deposit', 'dashboard.read']);
    expect(start.excluded).toMatch(/Pas d'accès/);
  });

  it('refuses unknown offers, readers and other firms', async () => {
    expect(
      (await call(admin, 'PUT', `/api/files/${fileId}/offer`, { offerCode: 'gold' })).json().error.code,
    ).toBe('OFFER_UNKNOWN');
    expect((await call(reader, 'PUT', `/api/files/${fileId}/offer`, { offerCode: 'start' })).statusCode).toBe(
      403,
    );
    expect((await call(other, 'PUT', `/api/files/${fileId}/offer`, { offerCode: 'start' })).statusCode).toBe(
      404,
    );
    expect(
      (await call(admin, 'PUT', `/api/files/${otherFirmFileId}/offer`, { offerCode: 'start' })).statusCode,
    ).toBe(404);
    expect((await call(admin, 'PUT', '/api/files/not-a-uuid/offer', { offerCode: 'start' })).statusCode).toBe(
      400,
    );
  });

  it('activates Start (Valider) and shows it in the portfolio', async () => {
    const res = await call(admin, 'PUT', `/api/files/${fileId}/offer`, { offerCode: 'start' });
    expect(res.statusCode).toBe(200);
    expect(res.json().offer.code).toBe('start');
    const list = (await call(admin, 'GET', '/api/files?offer=active')).json();
    expect(list.items.map((f: { id: string }) => f.id)).toEqual([fileId]);
    expect(list.items[0].offer.label).toBe('Start');
  });
});

describe('organizational roles', () => {
  let roleId: string;
  it('starts from the default French list', async () => {
    const names = (await call(admin, 'GET', '/api/org-roles'))
      .json()
      .items.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['Dirigeant', 'Gérant', 'Associé', 'Comptable interne', 'Responsable paie']),
    );
  });

  it('creates, renames and refuses duplicates (any case); only administrators', async () => {
    const created = await call(admin, 'POST', '/api/org-roles', { name: 'Trésorier' });
    expect(created.statusCode).toBe(201);
    roleId = created.json().id;
    expect((await call(admin, 'POST', '/api/org-roles', { name: 'trésorier' })).json().error.code).toBe(
      'ROLE_NAME_TAKEN',
    );
    expect((await call(admin, 'POST', '/api/org-roles', { name: '  ' })).statusCode).toBe(400);
    expect((await call(reader, 'POST', '/api/org-roles', { name: 'X' })).statusCode).toBe(403);
    const renamed = await call(admin, 'PATCH', `/api/org-roles/${roleId}`, { name: 'Trésorière' });
    expect(renamed.json().name).toBe('Trésorière');
    expect((await call(other, 'PATCH', `/api/org-roles/${roleId}`, { name: 'Pirate' })).statusCode).toBe(404);
  });

  it('a retired role stays on contacts but cannot be chosen anymore', async () => {
    const contact = await call(admin, 'POST', '/api/contacts', {
      lastName: 'Roux',
      firstName: 'Léa',
      email: 'lea.roux@exemple.fr',
      orgRoleId: roleId,
    });
    expect(contact.statusCode).toBe(201);
    await call(admin, 'PATCH', `/api/org-roles/${roleId}`, { retired: true });
    const roles = (await call(admin, 'GET', '/api/org-roles')).json().items;
    expect(roles.find((r: { id: string }) => r.id === roleId).contactCount).toBe(1);
    const after = (await call(admin, 'GET', `/api/contacts/${contact.json().id}`)).json();
    expect(after.orgRole).toEqual({ id: roleId, name: 'Trésorière', retired: true });
    const refused = await call(admin, 'POST', '/api/contacts', {
      lastName: 'Blanc',
      firstName: 'Paul',
      email: 'paul.blanc@exemple.fr',
      orgRoleId: roleId,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('ROLE_RETIRED');
  });
});

describe('contacts (Clients > Interlocuteurs)', () => {
  it('validates each field with its own error', async () => {
    const res = await call(admin, 'POST', '/api/contacts', {
      lastName: '',
      firstName: '',
      email: 'pas-un-email',
      phone: 'abc',
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.fields.map((f: { path: string }) => f.path)
      .sort();
    expect(paths).toEqual(['email', 'firstName', 'lastName', 'phone']);
  });

  it('keeps the e-mail unique in the firm, whatever its case, but not across firms', async () => {
    const input = {
      lastName: 'Lefèvre',
      firstName: 'Jeanne',
      email: 'Jeanne.Lefevre@Exemple.fr',
      civility: 'Mme',
    };
    const first = await call(admin, 'POST', '/api/contacts', input);
    expect(first.statusCode).toBe(201);
    expect(first.json().email).toBe('jeanne.lefevre@exemple.fr');
    const dup = await call(admin, 'POST', '/api/contacts', { ...input, email: 'JEANNE.LEFEVRE@exemple.fr' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields[0].path).toBe('email');
    expect((await call(other, 'POST', '/api/contacts', input)).statusCode).toBe(201);
  });

  it('lists and searches the firm contacts only', async () => {
    const found = (await call(admin, 'GET', '/api/contacts?q=jeanne')).json();
    expect(found.total).toBe(1);
    expect((await call(other, 'GET', '/api/contacts?q=roux')).json().total).toBe(0);
  });

  it('read-only staff cannot create', async () => {
    const res = await call(reader, 'POST', '/api/contacts', {
      lastName: 'A',
      firstName: 'B',
      email: 'a@b.fr',
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('link, propose, revoke', () => {
  let jeanne: string;
  let paul: string;
  beforeAll(async () => {
    jeanne = (await call(admin, 'GET', '/api/contacts?q=jeanne')).json().items[0].id;
    paul = (
      await call(admin, 'POST', '/api/contacts', {
        lastName: 'Martin',
        firstName: 'Paul',
        email: 'paul@exemple.fr',
      })
    ).json().id;
  });

  it('links from the contact (Dossiers clients > Ajouter) with Limité à "-" by default', async () => {
    const res = await call(admin, 'POST', `/api/contacts/${jeanne}/files`, { fileId });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      fileCode: 'BOUL01',
      limitedTo: null,
      fileOffer: { code: 'start' },
      services: [],
    });
    expect((await call(admin, 'POST', `/api/contacts/${jeanne}/files`, { fileId })).json().error.code).toBe(
      'ALREADY_LINKED',
    );
  });

  it('links from the portfolio (select an existing contact, Valider)', async () => {
    const res = await call(admin, 'POST', `/api/files/${fileId}/contacts`, { contactId: paul });
    expect(res.statusCode).toBe(201);
    const links = (await call(admin, 'GET', `/api/files/${fileId}/contacts`)).json().items;
    expect(links).toHaveLength(2);
  });

  it('refuses links to another firm file or contact', async () => {
    expect(
      (await call(admin, 'POST', `/api/contacts/${jeanne}/files`, { fileId: otherFirmFileId })).statusCode,
    ).toBe(404);
    expect(
      (await call(other, 'POST', `/api/files/${otherFirmFileId}/contacts`, { contactId: jeanne })).statusCode,
    ).toBe(404);
  });

  it('edits Limité à later', async () => {
    const res = await call(admin, 'PATCH', `/api/contacts/${paul}/files/${fileId}`, {
      limitedTo: ['Social'],
    });
    expect(res.json().limitedTo).toEqual(['Social']);
  });

  it('proposes Start, queuing the invitation and the access mail in the same transaction', async () => {
    const res = await call(admin, 'POST', `/api/contacts/${jeanne}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ offerCode: 'start', state: 'proposee' });
    const mails = await t.ctx.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.toAddress, 'jeanne.lefevre@exemple.fr'));
    expect(mails.map((m) => m.kind).sort()).toEqual(['client.access', 'client.invitation']);
    const access = mails.find((m) => m.kind === 'client.access');
    expect(access?.textBody).toContain(`${t.config.publicUrl}/espace`);
    expect(access?.textBody).toContain('jeanne.lefevre@exemple.fr');
    const invitation = mails.find((m) => m.kind === 'client.invitation');
    expect(invitation?.htmlBody).toContain('Accepter l’invitation');
    const [inv] = await t.ctx.db.select().from(invitations).where(eq(invitations.contactId, jeanne));
    expect(inv?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(invitation?.textBody).not.toContain(inv?.tokenHash);
  });

  it('refuses to propose twice, and for several contacts on one file it works', async () => {
    const again = await call(admin, 'POST', `/api/contacts/${jeanne}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SERVICE_ALREADY_PROPOSED');
    const paulRes = await call(admin, 'POST', `/api/contacts/${paul}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(paulRes.statusCode).toBe(201);
  });

  it('a second proposal to a contact already invited keeps the first invitation link valid', async () => {
    const f3 = (await createFile(t.ctx.db, firmId)).id;
    await call(admin, 'PUT', `/api/files/${f3}/offer`, { offerCode: 'start' });
    await call(admin, 'POST', `/api/contacts/${jeanne}/files`, { fileId: f3 });
    const res = await call(admin, 'POST', `/api/contacts/${jeanne}/files/${f3}/services`, {
      offerCode: 'start',
    });
    expect(res.statusCode).toBe(201);
    const mails = await t.ctx.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.toAddress, 'jeanne.lefevre@exemple.fr'));
    expect(mails.filter((m) => m.kind === 'client.invitation')).toHaveLength(1);
    expect(mails.filter((m) => m.kind === 'client.access')).toHaveLength(2);
    const live = await t.ctx.db.select().from(invitations).where(eq(invitations.contactId, jeanne));
    expect(live.filter((i) => i.revokedAt === null)).toHaveLength(1);
  });

  it('refuses a service when the contact is not linked or the offer not active', async () => {
    const lone = (
      await call(admin, 'POST', '/api/contacts', {
        lastName: 'Seul',
        firstName: 'Ana',
        email: 'ana@exemple.fr',
      })
    ).json().id;
    const res = await call(admin, 'POST', `/api/contacts/${lone}/files/${fileId}/services`, {
      offerCode: 'start',
    });
    expect(res.json().error.code).toBe('CONTACT_NOT_LINKED');
    const f2 = (await createFile(t.ctx.db, firmId)).id;
    await call(admin, 'POST', `/api/contacts/${lone}/files`, { fileId: f2 });
    const res2 = await call(admin, 'POST', `/api/contacts/${lone}/files/${f2}/services`, {
      offerCode: 'start',
    });
    expect(res2.json().error.code).toBe('OFFER_NOT_ACTIVE');
  });

  it('the widget summarises the offer once initialised', async () => {
    const before = (await call(admin, 'GET', `/api/files/${fileId}/dashboard`)).json();
    expect(before.collaborativeWidget).toEqual({ active: false, summary: null });
    expect(
      (await call(reader, 'PUT', `/api/files/${fileId}/widgets/collaboratif`, { active: true })).statusCode,
    ).toBe(403);
    const after = (
      await call(admin, 'PUT', `/api/files/${fileId}/widgets/collaboratif`, { active: true })
    ).json();
    expect(after.collaborativeWidget.summary.offer.code).toBe('start');
    expect(
      after.collaborativeWidget.summary.contacts.map((c: { state: string; email: string }) => [
        c.email,
        c.state,
      ]),
    ).toEqual([
      ['jeanne.lefevre@exemple.fr', 'invite'],
      ['paul@exemple.fr', 'invite'],
    ]);
    const off = (
      await call(admin, 'PUT', `/api/files/${fileId}/widgets/collaboratif`, { active: false })
    ).json();
    expect(off.collaborativeWidget.active).toBe(false);
    expect((await call(other, 'GET', `/api/files/${fileId}/dashboard`)).statusCode).toBe(404);
  });

  it('revokes a service, and deactivating the offer revokes all that depended on it', async () => {
    const links = (await call(admin, 'GET', `/api/contacts/${paul}/files`)).json().items;
    const serviceId = links[0].services[0].id;
    expect((await call(other, 'POST', `/api/services/${serviceId}/revoke`)).statusCode).toBe(404);
    expect((await call(admin, 'POST', `/api/services/${serviceId}/revoke`)).statusCode).toBe(204);
    const revoked = (await call(admin, 'GET', `/api/contacts/${paul}/files`)).json().items[0].services[0];
    expect(revoked.state).toBe('revoquee');

    await call(admin, 'PUT', `/api/files/${fileId}/offer`, { offerCode: null });
    const jeanneLinks = (await call(admin, 'GET', `/api/contacts/${jeanne}/files`)).json().items;
    expect(jeanneLinks[0].services[0].state).toBe('revoquee');
    expect(jeanneLinks[0].fileOffer).toBeNull();
  });

  it('wrote every act to the audit log, readable and exportable by administrators', async () => {
    const actions = (await call(admin, 'GET', '/api/audit?limit=500'))
      .json()
      .items.map((e: { action: string }) => e.action);
    for (const action of [
      'offer.activated',
      'org_role.created',
      'contact.created',
      'contact.linked',
      'service.proposed',
      'invitation.sent',
      'widget.activated',
      'service.revoked',
      'offer.deactivated',
    ]) {
      expect(actions).toContain(action);
    }
    const [row] = await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(eq(auditEvents.firmId, firmId));
    expect(row?.n).toBeGreaterThan(10);
    expect((await call(reader, 'GET', '/api/audit')).statusCode).toBe(403);
    const csv = await call(admin, 'GET', '/api/audit/export.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('service.proposed');
    expect(
      (await call(other, 'GET', '/api/audit'))
        .json()
        .items.some((e: { action: string }) => e.action === 'service.proposed'),
    ).toBe(false);
  });
});
