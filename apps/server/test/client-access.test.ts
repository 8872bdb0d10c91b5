import type { ClientFileList, ClientFileOverview } from '@passerelle/contracts/client-space';
import type { SessionResponse } from '@passerelle/contracts/session';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collaborativeServices, contactFiles, fileOffers } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsClient, signInAsStaff } from './support/factories.ts';

/**
 * The client space's API under the access rule of SPEC §7, with open sessions: every request
 * re-derives access from the data, so each condition taken away ends it at once.
 */
let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db, { name: 'Cabinet Dupont' })).id;
  admin = await signInAsStaff(t, firmId);
});
afterAll(async () => t?.close());

type Who = { headers: Record<string, string> };
const call = (who: Who, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload }) });

/** A file with Start, the client linked to it and the service proposed, through the staff API. */
async function grantStart(contactId: string, values: { name?: string; code?: string } = {}) {
  const file = await createFile(t.ctx.db, firmId, values);
  expect((await call(admin, 'PUT', `/api/files/${file.id}/offer`, { offerCode: 'start' })).statusCode).toBe(
    200,
  );
  expect(
    (await call(admin, 'POST', `/api/contacts/${contactId}/files`, { fileId: file.id })).statusCode,
  ).toBe(201);
  const proposed = await call(admin, 'POST', `/api/contacts/${contactId}/files/${file.id}/services`, {
    offerCode: 'start',
  });
  expect(proposed.statusCode).toBe(201);
  return { file, serviceId: proposed.json().id as string };
}

const files = async (who: Who) => {
  const res = await call(who, 'GET', '/api/client/files');
  expect(res.statusCode).toBe(200);
  return (res.json() as ClientFileList).items;
};

describe('client space API', () => {
  it('lists the files the contact has a live service on, and opens each', async () => {
    const client = await signInAsClient(t, firmId);
    const a = await grantStart(client.contact.id, { name: 'Boulangerie Lefèvre', code: 'BOUL1' });
    const b = await grantStart(client.contact.id, { name: 'Atelier Girard', code: 'ATEL1' });
    // Linked but no service proposed: not listed.
    const linkedOnly = await createFile(t.ctx.db, firmId);
    await call(admin, 'PUT', `/api/files/${linkedOnly.id}/offer`, { offerCode: 'start' });
    await call(admin, 'POST', `/api/contacts/${client.contact.id}/files`, { fileId: linkedOnly.id });

    const items = await files(client);
    expect(items.map((f) => f.name)).toEqual(['Atelier Girard', 'Boulangerie Lefèvre']);
    expect(items[1]).toEqual({
      id: a.file.id,
      code: 'BOUL1',
      name: 'Boulangerie Lefèvre',
      firm: { id: firmId, name: 'Cabinet Dupont' },
      offer: { code: 'start', label: 'Start' },
      capabilities: ['ged.read', 'pieces.deposit', 'dashboard.read'],
      limitedTo: null,
      figuresAllowed: true,
    });

    const overview = await call(client, 'GET', `/api/client/files/${b.file.id}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.headers['cache-control']).toBe('no-store');
    const body = overview.json() as ClientFileOverview;
    expect(body).toMatchObject({
      id: b.file.id,
      name: 'Atelier Girard',
      offer: { code: 'start', label: 'Start' },
    });
    expect(body.offer.description).toMatch(/GED/);
    expect((await call(client, 'GET', `/api/client/files/${linkedOnly.id}`)).statusCode).toBe(404);
  });

  it('answers the session in the contract shape for a client', async () => {
    const client = await signInAsClient(t, firmId);
    const res = await call(client, 'GET', '/api/session');
    expect(res.statusCode).toBe(200);
    const session = res.json() as SessionResponse;
    expect(session).toEqual({
      kind: 'client',
      csrfToken: client.headers['x-csrf-token'],
      firm: { id: firmId, name: 'Cabinet Dupont', slug: expect.any(String) },
      user: {
        contactId: client.contact.id,
        email: client.contact.email,
        firstName: client.contact.firstName,
        lastName: client.contact.lastName,
      },
    });
  });

  it('shows the restriction of the link (Limité à) and whether figures are allowed', async () => {
    const client = await signInAsClient(t, firmId);
    const { file } = await grantStart(client.contact.id);
    const patched = await call(admin, 'PATCH', `/api/contacts/${client.contact.id}/files/${file.id}`, {
      limitedTo: ['Social'],
      figuresAllowed: false,
    });
    expect(patched.statusCode).toBe(200);
    const [item] = await files(client);
    expect(item).toMatchObject({ id: file.id, limitedTo: ['Social'], figuresAllowed: false });
  });

  it('never shows another contact’s file, nor another firm’s', async () => {
    const me = await signInAsClient(t, firmId);
    const someoneElse = await signInAsClient(t, firmId);
    const theirs = await grantStart(someoneElse.contact.id);
    expect((await call(me, 'GET', `/api/client/files/${theirs.file.id}`)).statusCode).toBe(404);
    expect(await files(me)).toEqual([]);

    const otherFirm = (await createFirm(t.ctx.db)).id;
    const stranger = await signInAsClient(t, otherFirm);
    expect((await call(stranger, 'GET', `/api/client/files/${theirs.file.id}`)).statusCode).toBe(404);
    expect((await call(me, 'GET', '/api/client/files/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('revocation ends access at the next request of an open session', () => {
  it('revoking the service (staff API)', async () => {
    const client = await signInAsClient(t, firmId);
    const { file, serviceId } = await grantStart(client.contact.id);
    expect((await call(client, 'GET', `/api/client/files/${file.id}`)).statusCode).toBe(200);
    expect((await call(admin, 'POST', `/api/services/${serviceId}/revoke`)).statusCode).toBe(204);
    const after = await call(client, 'GET', `/api/client/files/${file.id}`);
    expect(after.statusCode).toBe(404);
    expect(after.json().error.code).toBe('NOT_FOUND');
    expect(await files(client)).toEqual([]);
    // The session itself is still open: the space can say why there is nothing to show.
    expect((await call(client, 'GET', '/api/session')).statusCode).toBe(200);
  });

  it('deactivating the offer on the file (staff API)', async () => {
    const client = await signInAsClient(t, firmId);
    const { file } = await grantStart(client.contact.id);
    expect(await files(client)).toHaveLength(1);
    expect((await call(admin, 'PUT', `/api/files/${file.id}/offer`, { offerCode: null })).statusCode).toBe(
      200,
    );
    expect((await call(client, 'GET', `/api/client/files/${file.id}`)).statusCode).toBe(404);
    expect(await files(client)).toEqual([]);
  });

  it('unlinking the contact from the file (staff API)', async () => {
    const client = await signInAsClient(t, firmId);
    const { file } = await grantStart(client.contact.id);
    expect(
      (await call(admin, 'DELETE', `/api/contacts/${client.contact.id}/files/${file.id}`)).statusCode,
    ).toBe(204);
    expect((await call(client, 'GET', `/api/client/files/${file.id}`)).statusCode).toBe(404);
    expect(await files(client)).toEqual([]);
  });

  // The staff API takes several conditions away at once (deactivating also revokes services);
  // here each one alone, straight in the data, must be enough.
  it.each([
    [
      'offer inactive',
      (fileId: string) =>
        t.ctx.db.update(fileOffers).set({ active: false }).where(eq(fileOffers.fileId, fileId)),
    ],
    [
      'link gone',
      (fileId: string, contactId: string) =>
        t.ctx.db
          .delete(contactFiles)
          .where(and(eq(contactFiles.fileId, fileId), eq(contactFiles.contactId, contactId))),
    ],
    [
      'service revoked',
      (fileId: string) =>
        t.ctx.db
          .update(collaborativeServices)
          .set({ state: 'revoquee', revokedAt: new Date() })
          .where(eq(collaborativeServices.fileId, fileId)),
    ],
  ])('each condition alone: %s', async (_label, takeAway) => {
    const client = await signInAsClient(t, firmId);
    const { file } = await grantStart(client.contact.id);
    const kept = await grantStart(client.contact.id);
    expect(await files(client)).toHaveLength(2);
    await takeAway(file.id, client.contact.id);
    expect((await call(client, 'GET', `/api/client/files/${file.id}`)).statusCode).toBe(404);
    expect((await files(client)).map((f) => f.id)).toEqual([kept.file.id]);
  });
});

describe('who may call the client API', () => {
  it('refuses staff and anonymous callers, and refuses the client on firm routes', async () => {
    const client = await signInAsClient(t, firmId);
    const { file } = await grantStart(client.contact.id);
    expect((await call(admin, 'GET', '/api/client/files')).statusCode).toBe(403);
    expect((await call(admin, 'GET', `/api/client/files/${file.id}`)).statusCode).toBe(403);
    expect((await t.app.inject(`/api/client/files/${file.id}`)).statusCode).toBe(401);
    for (const url of [
      `/api/files/${file.id}`,
      '/api/files',
      '/api/contacts',
      `/api/files/${file.id}/dashboard`,
    ]) {
      expect([403, 404], url).toContain((await call(client, 'GET', url)).statusCode);
    }
    expect((await call(client, 'GET', '/portefeuille')).statusCode).toBe(403);
  });
});
