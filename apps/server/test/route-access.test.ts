import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/app.ts';
import { createFirm, signInAsClient, signInAsStaff } from './support/factories.ts';

/**
 * Enumerates the server's route table: every route declares who may call it, and an
 * anonymous visitor or a person of the wrong kind is refused by the one access guard.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const sample = (url: string) =>
  url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000').replace(/\*$/, 'x');

describe('route table', () => {
  it('declares an access level on every route', () => {
    expect(t.app.routeAccessTable.length).toBeGreaterThan(5);
    for (const route of t.app.routeAccessTable)
      expect(route.access, `${route.method} ${route.url}`).toBeTruthy();
  });

  it('refuses anonymous callers on every non-public route', async () => {
    const guarded = t.app.routeAccessTable.filter((r) => r.access !== 'public' && r.method !== 'HEAD');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const res = await t.app.inject({ method: route.method as 'GET', url: sample(route.url) });
      const label = `${route.method} ${route.url}`;
      if (route.method === 'GET' && res.statusCode === 302) {
        expect(res.headers.location, label).toMatch(/^\/auth\/login\?returnTo=/);
      } else {
        expect([401, 403], label).toContain(res.statusCode);
      }
    }
  });

  it('refuses a client contact on every firm route, and staff on every client route', async () => {
    const firmId = (await createFirm(t.ctx.db)).id;
    const client = await signInAsClient(t, firmId);
    const staff = await signInAsStaff(t, firmId);
    const firmRoutes = t.app.routeAccessTable.filter((r) =>
      ['staff', 'staff-write', 'admin'].includes(r.access),
    );
    const clientRoutes = t.app.routeAccessTable.filter((r) => r.access === 'client');
    expect(firmRoutes.length).toBeGreaterThan(10);
    for (const route of firmRoutes.filter((r) => r.method !== 'HEAD')) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: sample(route.url),
        headers: client.headers,
      });
      expect([403, 404], `${route.method} ${route.url}`).toContain(res.statusCode);
    }
    for (const route of clientRoutes.filter((r) => r.method !== 'HEAD')) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: sample(route.url),
        headers: staff.headers,
      });
      expect([403, 404], `${route.method} ${route.url}`).toContain(res.statusCode);
    }
  });

  it('refuses a cross-origin state-changing request', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
  });
});
