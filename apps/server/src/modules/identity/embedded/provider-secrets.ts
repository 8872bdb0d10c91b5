import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/connection.ts';
import { appSecrets } from '../../../db/schema/index.ts';
import { randomToken } from '../../../lib/tokens.ts';

export interface ProviderSecrets {
  /** Private signing keys (RS256 first: the default ID token algorithm, then ES256). */
  jwks: { keys: JsonWebKey[] };
  cookieKeys: string[];
  /** Secret of the `passerelle` client, shared with the relying party of this same server. */
  clientSecret: string;
}

const JWKS = 'idp.jwks';
const COOKIE_KEYS = 'idp.cookie_keys';
const CLIENT_SECRET = 'idp.client_secret';

function generateSigningKeys(): { keys: JsonWebKey[] } {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return {
    keys: [
      { ...rsa, kid: `rs-${randomToken(12)}`, alg: 'RS256', use: 'sig' },
      { ...ec, kid: `es-${randomToken(12)}`, alg: 'ES256', use: 'sig' },
    ],
  };
}

/**
 * Reads a secret, creating it on first start. Two instances starting together both try to
 * insert; the first wins and both read its value back.
 */
async function loadOrCreate<T>(db: Db, name: string, create: () => T): Promise<T> {
  const read = async () => {
    const [row] = await db
      .select({ value: appSecrets.value })
      .from(appSecrets)
      .where(eq(appSecrets.name, name));
    return row?.value as T | undefined;
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  await db
    .insert(appSecrets)
    .values({ name, value: create() as unknown })
    .onConflictDoNothing({ target: appSecrets.name });
  const stored = await read();
  if (stored === undefined) throw new Error(`secret ${name} could not be stored`);
  return stored;
}

/** Keys that must survive restarts: a new JWKS would invalidate every ID token in flight. */
export async function loadProviderSecrets(db: Db): Promise<ProviderSecrets> {
  return {
    jwks: await loadOrCreate(db, JWKS, generateSigningKeys),
    cookieKeys: await loadOrCreate(db, COOKIE_KEYS, () => [randomToken(), randomToken()]),
    clientSecret: await loadOrCreate(db, CLIENT_SECRET, () => randomToken()),
  };
}
