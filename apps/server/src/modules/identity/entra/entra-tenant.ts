/**
 * A firm's Microsoft Entra tenant: how it is written (a GUID or one of its verified domains),
 * the issuer Passerelle signs its people in at, and the resolution of a domain to the GUID.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A DNS name with at least one dot and an alphabetic top-level label (cabinet.fr, x.onmicrosoft.com).
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Multi-tenant aliases: they would accept people of any organization, never a firm's tenant. */
const SHARED_TENANTS = new Set(['common', 'organizations', 'consumers']);

export const isTenantGuid = (value: string) => GUID.test(value);

export type TenantInputProblem = 'shared_tenant' | 'invalid';

/** `null` when the value names one tenant (GUID or domain); otherwise why not. */
export function tenantInputProblem(value: string): TenantInputProblem | null {
  if (SHARED_TENANTS.has(value.toLowerCase())) return 'shared_tenant';
  return GUID.test(value) || DOMAIN.test(value) ? null : 'invalid';
}

/** The v2.0 issuer of a tenant; `loginBaseUrl` is https://login.microsoftonline.com outside tests. */
export function entraIssuer(loginBaseUrl: string, tenantId: string): string {
  return `${loginBaseUrl}/${tenantId.toLowerCase()}/v2.0`;
}

export type TenantResolution =
  | { ok: true; tenantId: string }
  | { ok: false; reason: 'unknown_tenant' | 'unreachable' };

/**
 * A domain is turned into the tenant's GUID once, when the settings are saved: the OpenID
 * configuration of `{domain}/v2.0` names the tenant in its issuer. The GUID is what the ID
 * token's `tid` carries and what the issuer check compares, so only it is stored.
 */
export async function resolveTenantId(
  loginBaseUrl: string,
  tenant: string,
  fetchImpl: typeof fetch = fetch,
): Promise<TenantResolution> {
  if (isTenantGuid(tenant)) return { ok: true, tenantId: tenant.toLowerCase() };
  let res: Response;
  try {
    res = await fetchImpl(
      `${loginBaseUrl}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`,
      {
        signal: AbortSignal.timeout(10_000),
        headers: { accept: 'application/json' },
      },
    );
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (res.status >= 500) return { ok: false, reason: 'unreachable' };
  if (!res.ok) return { ok: false, reason: 'unknown_tenant' };
  const body = (await res.json().catch(() => null)) as { issuer?: unknown } | null;
  const issuer = typeof body?.issuer === 'string' ? body.issuer : '';
  const prefix = `${loginBaseUrl}/`;
  const tenantId = issuer.startsWith(prefix) ? issuer.slice(prefix.length).replace(/\/v2\.0$/, '') : '';
  return isTenantGuid(tenantId)
    ? { ok: true, tenantId: tenantId.toLowerCase() }
    : { ok: false, reason: 'unknown_tenant' };
}
