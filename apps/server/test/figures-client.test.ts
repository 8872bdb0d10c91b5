import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collaborativeServices, contactFiles, fileOffers } from '../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFile, createFirm, signInAsClient, signInAsStaff } from './support/factories.ts';

/** GET /api/client/files/:fileId/figures: the client dashboard's key figures, behind the access rule. */
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fecPath = path.resolve(repoRoot, '../shared/data/fec/000000000FEC20231231.txt');
const boundary = '----passerelle-fec-client-test';

type Who = { headers: Record<string, string> };
type Client = Awaited<ReturnType<typeof signInAsClient>>;

let t: TestApp;
let firmId: string;
let admin: Awaited<ReturnType<typeof signInAsStaff>>;
/** A file with the Start offer and the 2023 FEC imported. */
let fileWithFigures: string;
/** A file of the same firm with the offer but no FEC yet. */
let fileWithoutFigures: string;

beforeAll(async () => {
  t = await buildTestApp();
  firmId = (await createFirm(t.ctx.db)).id;
  admin = await signInAsStaff(t, firmId);
  fileWithFigures = await fileWithOffer();
  fileWithoutFigures = await fileWithOffer();
  const fec = await readFile(fecPath);
  const upload = await t.app.inject({
    method: 'POST',
    url: `/api/files/${fileWithFigures}/fec`,
    headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="000000000FEC20231231.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      fec,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  expect(upload.statusCode).toBe(201);
});
afterAll(async () => t?.close());

async function fileWithOffer(ofFirm = firmId): Promise<string> {
  const file = await createFile(t.ctx.db, ofFirm);
  await t.ctx.db.insert(fileOffers).values({ fileId: file.id, offerCode: 'start', firmId: ofFirm });
  return file.id;
}

/** Links the contact to the file ("Limité à" as given) and proposes Start, as the staff journey does. */
async function grantAccess(
  client: Client,
  fileId: string,
  link: { limitedTo?: string[] | null; figuresAllowed?: boolean } = {},
) {
  await t.ctx.db.insert(contactFiles).values({
    contactId: client.contact.id,
    fileId,
    firmId,
    limitedTo: link.limitedTo ?? null,
    figuresAllowed: link.figuresAllowed ?? true,
  });
  await t.ctx.db
    .insert(collaborativeServices)
    .values({ firmId, fileId, contactId: client.contact.id, offerCode: 'start' });
}

const figuresOf = (who: Who, fileId: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/client/files/${fileId}/figures${query}`, headers: who.headers });

describe('client figures', () => {
  it('shows a contact with access the same figures as the firm side', async () => {
    const client = await signInAsClient(t, firmId);
    await grantAccess(client, fileWithFigures);
    const response = await figuresOf(client, fileWithFigures);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.current.fiscalYear).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    // Against the publisher's liasse 2033 (docs/indicators.md), to the euro.
    expect(Math.round(body.current.figures.revenue)).toBe(165298);
    expect(Math.round(body.current.figures.netIncome)).toBe(3988);
    expect(Math.round(body.current.figures.cash)).toBe(91971);
    expect(Math.round(body.current.figures.receivables)).toBe(27772);
    expect(body.current.byMonth).toHaveLength(12);
    expect(body.previous).toBeNull();

    const firmSide = await t.app.inject({
      method: 'GET',
      url: `/api/files/${fileWithFigures}/figures`,
      headers: admin.headers,
    });
    expect(body).toEqual(firmSide.json());

    const byYear = await figuresOf(client, fileWithFigures, '?fiscalYearEnd=2023-12-31');
    expect(byYear.json().current.importId).toBe(body.current.importId);
    expect((await figuresOf(client, fileWithFigures, '?fiscalYearEnd=2022-12-31')).statusCode).toBe(404);
  });

  it('answers an empty dashboard when no FEC was imported yet', async () => {
    const client = await signInAsClient(t, firmId);
    await grantAccess(client, fileWithoutFigures);
    const response = await figuresOf(client, fileWithoutFigures);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ fiscalYears: [], current: null, previous: null });
  });

  it('answers 404 once the service is revoked, the offer deactivated or the contact unlinked', async () => {
    const revoked = await signInAsClient(t, firmId);
    await grantAccess(revoked, fileWithFigures);
    expect((await figuresOf(revoked, fileWithFigures)).statusCode).toBe(200);
    await t.ctx.db
      .update(collaborativeServices)
      .set({ state: 'revoquee', revokedAt: new Date() })
      .where(
        and(
          eq(collaborativeServices.contactId, revoked.contact.id),
          eq(collaborativeServices.fileId, fileWithFigures),
        ),
      );
    expect((await figuresOf(revoked, fileWithFigures)).statusCode).toBe(404);

    const unlinked = await signInAsClient(t, firmId);
    await grantAccess(unlinked, fileWithFigures);
    await t.ctx.db
      .delete(contactFiles)
      .where(and(eq(contactFiles.contactId, unlinked.contact.id), eq(contactFiles.fileId, fileWithFigures)));
    expect((await figuresOf(unlinked, fileWithFigures)).statusCode).toBe(404);

    const offerOff = await signInAsClient(t, firmId);
    const file = await fileWithOffer();
    await grantAccess(offerOff, file);
    expect((await figuresOf(offerOff, file)).statusCode).toBe(200);
    await t.ctx.db
      .update(fileOffers)
      .set({ active: false, deactivatedAt: new Date() })
      .where(eq(fileOffers.fileId, file));
    expect((await figuresOf(offerOff, file)).statusCode).toBe(404);
  });

  it('refuses a contact limited to some folders unless the firm allows the figures', async () => {
    const limited = await signInAsClient(t, firmId);
    await grantAccess(limited, fileWithFigures, { limitedTo: ['Social'], figuresAllowed: false });
    const refused = await figuresOf(limited, fileWithFigures);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('NOT_FOUND');
    expect(refused.body).not.toContain('165');

    const allowed = await signInAsClient(t, firmId);
    await grantAccess(allowed, fileWithFigures, { limitedTo: ['Social'], figuresAllowed: true });
    expect((await figuresOf(allowed, fileWithFigures)).statusCode).toBe(200);

    // "Limité à" at "-" (the whole file): the figures are part of the file.
    const whole = await signInAsClient(t, firmId);
    await grantAccess(whole, fileWithFigures, { limitedTo: null, figuresAllowed: false });
    expect((await figuresOf(whole, fileWithFigures)).statusCode).toBe(200);
  });

  it('answers 404 for a file the contact is not linked to, in this firm or another', async () => {
    const client = await signInAsClient(t, firmId);
    await grantAccess(client, fileWithoutFigures);
    expect((await figuresOf(client, fileWithFigures)).statusCode).toBe(404);

    const otherFirm = (await createFirm(t.ctx.db)).id;
    const foreignFile = await fileWithOffer(otherFirm);
    expect((await figuresOf(client, foreignFile)).statusCode).toBe(404);
    expect((await figuresOf(client, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('keeps the client and firm routes apart', async () => {
    const client = await signInAsClient(t, firmId);
    await grantAccess(client, fileWithFigures);
    const staffRoute = await t.app.inject({
      method: 'GET',
      url: `/api/files/${fileWithFigures}/figures`,
      headers: client.headers,
    });
    expect(staffRoute.statusCode).toBe(403);
    expect((await figuresOf(admin, fileWithFigures)).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/client/files/${fileWithFigures}/figures` })).statusCode,
    ).toBe(401);
  });
});
