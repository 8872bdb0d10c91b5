import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializerCompiler } from '../src/lib/compiled-serializer.ts';
import { computeSecurityHeaders, securityHeaderOptions } from '../src/lib/security-headers.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const compile = (schema: z.ZodType) =>
  compiledSerializerCompiler({ schema, method: 'GET', url: '/test', httpStatus: '200' });

describe('compiled response serializer', () => {
  const schema = z.object({
    id: z.uuid(),
    count: z.number().int(),
    year: z.number().int().nullable(),
    label: z.string(),
    flag: z.boolean(),
    kind: z.enum(['staff', 'client']),
    items: z.array(z.object({ name: z.string(), at: z.string() })),
    next: z.string().nullable(),
  });
  const valid = {
    id: '6f1c1a52-3c1b-4c8e-9a51-2b0d3f4e5a6b',
    count: 3,
    year: null,
    label: 'Relevé "n°1" \\ \n 🧾',
    flag: false,
    kind: 'staff',
    items: [{ name: 'a', at: '2025-01-01T00:00:00.000Z' }],
    next: null,
  };

  it('writes what the schema writes', () => {
    const out = compile(schema)(valid);
    expect(JSON.parse(out)).toEqual(schema.parse(valid));
  });

  it('never sends a property the schema does not name, at any depth', () => {
    const out = compile(schema)({
      ...valid,
      blobKey: 'secret-key',
      items: [{ name: 'a', at: '2025-01-01T00:00:00.000Z', passwordHash: 'secret-hash' }],
    });
    expect(out).not.toContain('secret');
    expect(JSON.parse(out)).toEqual(schema.parse(valid));
  });

  it('writes each value as the schema’s type', () => {
    const out = JSON.parse(compile(schema)({ ...valid, count: '7', year: 2024, label: 12, flag: 1 }));
    expect(out).toMatchObject({ count: 7, year: 2024, label: '12', flag: true });
    expect(() => compile(schema)({ ...valid, next: 5 })).toThrow();
  });

  it('fails on a missing required property, as the zod check did', () => {
    const { label: _label, ...missing } = valid;
    expect(() => compile(schema)(missing)).toThrow();
  });

  it('keeps zod for a schema JSON Schema cannot say, and zod still refuses a bad value', () => {
    const withDate = z.object({ at: z.date() });
    const serialize = compile(withDate);
    expect(serialize({ at: new Date('2025-01-02T03:04:05.000Z'), extra: 1 })).toBe(
      '{"at":"2025-01-02T03:04:05.000Z"}',
    );
    expect(() => serialize({ at: 'not a date' })).toThrow();
  });
});

describe('security headers, computed once', () => {
  let t: TestApp;
  let reference: Record<string, string>;
  beforeAll(async () => {
    t = await buildTestApp();
    // What @fastify/helmet sets with the same options, built per request as before.
    const plain = Fastify();
    // helmet's CommonJS and ESM type declarations differ only by name.
    await plain.register(fastifyHelmet, securityHeaderOptions(t.config) as unknown as FastifyHelmetOptions);
    plain.get('/probe', async () => ({ ok: true }));
    const res = await plain.inject('/probe');
    await plain.close();
    reference = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name)) continue;
      reference[name] = String(value);
    }
  });
  afterAll(async () => t?.close());

  it('are the ones @fastify/helmet sets behind HTTPS too (HSTS, upgrade-insecure-requests)', async () => {
    const options = securityHeaderOptions({ ...t.config, secureCookies: true });
    const plain = Fastify();
    await plain.register(fastifyHelmet, options as unknown as FastifyHelmetOptions);
    plain.get('/probe', async () => ({ ok: true }));
    const res = await plain.inject('/probe');
    await plain.close();
    const computed = computeSecurityHeaders(options).set;
    for (const [name, value] of computed) expect(res.headers[name.toLowerCase()], name).toBe(value);
    expect(computed.map(([n]) => n.toLowerCase())).toContain('strict-transport-security');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('are the ones @fastify/helmet set', () => {
    expect(Object.keys(reference).length).toBeGreaterThanOrEqual(10);
    expect(reference['content-security-policy']).toContain("frame-ancestors 'none'");
    const computed = Object.fromEntries(
      computeSecurityHeaders(securityHeaderOptions(t.config)).set.map(([n, v]) => [n.toLowerCase(), v]),
    );
    expect(computed).toEqual(reference);
  });

  it('are sent unchanged on an API route, a 404, an HTML page and the identity provider', async () => {
    const responses = {
      api: await t.app.inject('/healthz'),
      apiSession: await t.app.inject('/api/session'),
      notFound: await t.app.inject('/api/nothing-here'),
      html: await t.app.inject('/mailbox'),
      provider: await t.app.inject('/idp/.well-known/openid-configuration'),
    };
    expect(responses.html.headers['content-type']).toMatch(/^text\/html/);
    expect(responses.provider.statusCode).toBe(200);
    for (const [where, res] of Object.entries(responses)) {
      expect(res.headers['x-powered-by'], where).toBeUndefined();
      for (const [name, value] of Object.entries(reference)) {
        expect(res.headers[name], `${where}: ${name}`).toBe(value);
      }
    }
  });
});
