import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.database.kind).toBe('pglite');
    expect(config.identity).toEqual({ kind: 'embedded', issuer: 'http://localhost:3000/idp' });
    expect(config.mail.embedded).toBe(true);
    expect(config.demoData).toBe(true);
  });

  it('derives links from PUBLIC_URL and PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    const config = loadConfig({ PUBLIC_URL: 'https://passerelle.example.fr/' });
    expect(config.publicUrl).toBe('https://passerelle.example.fr');
    expect(config.secureCookies).toBe(true);
    expect(config.identity.issuer).toBe('https://passerelle.example.fr/idp');
  });

  it('uses a real PostgreSQL, SMTP server and external provider when configured, without demo data', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/p',
      SMTP_URL: 'smtp://mail:25',
      OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'app',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/p' });
    expect(config.mail).toMatchObject({ embedded: false, smtpUrl: 'smtp://mail:25' });
    expect(config.identity.kind).toBe('external');
    expect(config.demoData).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'localhost' }, 'PUBLIC_URL'],
    [{ OIDC_ISSUER: 'https://idp.example' }, 'OIDC_CLIENT_ID'],
    [{ NODE_ENV: 'production' }, 'SMTP_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production', SMTP_URL: 'smtp://m:25', DEMO_DATA: 'true' }, 'DEMO_DATA'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as ConfigError).problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('stops the server at boot with a message naming the variable', () => {
    const main = path.resolve(import.meta.dirname, '../src/main.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env.PATH, PORT: 'nope', DATABASE_URL: 'x' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL');
  });
});
