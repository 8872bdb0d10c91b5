import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Validated once at boot: a missing or malformed
 * variable stops the process with a message that names it.
 */
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('localhost'),
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalUrl,
    SMTP_URL: optionalUrl,
    MAIL_FROM: z.string().min(3).default('Passerelle <no-reply@passerelle.localhost>'),
    OIDC_ISSUER: optionalUrl,
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Microsoft Entra sign-in and Microsoft Graph; other values only to test against a local fake. */
    ENTRA_LOGIN_URL: optionalUrl,
    MICROSOFT_GRAPH_URL: optionalUrl,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    DEMO_DATA: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(100 * 1024 * 1024),
    /** Memory for the firm's GED folder pages kept between requests (decision 122); 0 turns it off. */
    GED_PAGE_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(16),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    const set = oidc.filter((v) => v !== undefined).length;
    if (set !== 0 && set !== 3) {
      for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
        if (env[key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
          });
        }
      }
    }
    if (env.NODE_ENV === 'production' && env.SMTP_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' });
    }
    for (const key of ['ENTRA_LOGIN_URL', 'MICROSOFT_GRAPH_URL'] as const) {
      if (env.NODE_ENV === 'production' && env[key]?.startsWith('http:')) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be https in production' });
      }
    }
    if (env.NODE_ENV === 'production' && env.DEMO_DATA === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO_DATA'],
        message: 'demo data is never created in production',
      });
    }
  });

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof envSchema>) {
  const publicUrl = new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
  const base = publicUrl.toString().replace(/\/$/, '');
  const dataDir = path.resolve(env.DATA_DIR);
  const embeddedIdentity = env.OIDC_ISSUER === undefined;
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    publicUrl: base,
    secureCookies: publicUrl.protocol === 'https:',
    dataDir,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    database: env.DATABASE_URL
      ? ({ kind: 'postgres', url: env.DATABASE_URL } as const)
      : ({ kind: 'pglite', dir: path.join(dataDir, 'pglite'), separateProcess: true } as const),
    mail: {
      from: env.MAIL_FROM,
      /** Embedded: a loopback SMTP server captures mail into the mailbox page. */
      embedded: env.SMTP_URL === undefined,
      smtpUrl: env.SMTP_URL,
    },
    identity: embeddedIdentity
      ? ({ kind: 'embedded', issuer: `${base}/idp` } as const)
      : ({
          kind: 'external',
          issuer: env.OIDC_ISSUER as string,
          clientId: env.OIDC_CLIENT_ID as string,
          clientSecret: env.OIDC_CLIENT_SECRET as string,
        } as const),
    entra: {
      loginBaseUrl: (env.ENTRA_LOGIN_URL ?? 'https://login.microsoftonline.com').replace(/\/$/, ''),
      graphBaseUrl: (env.MICROSOFT_GRAPH_URL ?? 'https://graph.microsoft.com').replace(/\/$/, ''),
    },
    /** Demo firm and accounts: only on the embedded identity provider, never in production. */
    demoData: env.DEMO_DATA ?? (embeddedIdentity && env.NODE_ENV !== 'production'),
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    invitationTtlMs: env.INVITATION_TTL_DAYS * 86_400_000,
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    gedPageCacheBytes: env.GED_PAGE_CACHE_MB * 1024 * 1024,
  };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return toConfig(parsed.data);
}
