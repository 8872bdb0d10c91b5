import type { SessionResponse } from '@passerelle/contracts/session';
import * as client from 'openid-client';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor, ClientActor, StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findFirmBySlug } from '../firm-settings/identity-provider.repository.ts';
import * as repo from './auth.repository.ts';
import type { SignInFailure } from './auth-pages.ts';
import { findClientToSignIn, recordClientSignIn } from './client-binding.ts';
import { type EntraIdentity, entraIdentityFromClaims } from './entra/entra-claims.ts';
import { signInEntraContact } from './entra/entra-sign-in.ts';
import type { RelyingParty } from './relying-party/relying-party.ts';

const AUTH_REQUEST_TTL_MS = 10 * 60_000;
const SCOPE = 'openid email profile';

export type SignInOutcome =
  | { kind: 'signed_in'; token: string; expiresAt: Date; returnTo: string }
  | { kind: 'no_access'; email: string | null; emailVerified: boolean; switchAccountHref: string }
  | { kind: 'failed'; reason: SignInFailure; returnTo?: string };

/** Only a path of this site: anything else (other origin, `//host`, `/\host`) becomes `/`. */
export function safeReturnTo(value: string | undefined, publicUrl: string): string {
  if (!value || value.length > 1000 || !value.startsWith('/') || value.startsWith('//')) return '/';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || code < 0x20 || code === 0x7f) return '/';
  }
  const base = new URL(publicUrl);
  const url = new URL(value, base);
  if (url.origin !== base.origin) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

const isClientSpacePath = (path: string) => /^\/espace(?:[/?#]|$)/.test(path);

/** Where a new session lands: clients in their space (or where they were going in it). */
export function landingFor(kind: 'staff' | 'client', returnTo: string): string {
  if (kind === 'client') return isClientSpacePath(returnTo) ? returnTo : '/espace';
  return isClientSpacePath(returnTo) ? '/' : returnTo;
}

function failureOf(err: unknown): SignInFailure | null {
  if (err instanceof client.AuthorizationResponseError) {
    return err.error === 'access_denied' ? 'access_denied' : 'provider_error';
  }
  if (err instanceof client.ResponseBodyError)
    return err.error === 'invalid_grant' ? 'code_rejected' : 'provider_error';
  if (err instanceof client.ClientError) return 'invalid_response';
  if (
    err instanceof TypeError ||
    (err instanceof Error && ['TimeoutError', 'AbortError'].includes(err.name))
  ) {
    return 'provider_unreachable';
  }
  return null;
}

const stringClaim = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** Signs people in at their identity provider and binds them to the staff member they are. */
export function createAuthService(ctx: AppContext, rp: RelyingParty) {
  const { db, log } = ctx;

  async function fail(origin: RequestOrigin, reason: SignInFailure, details: Record<string, unknown> = {}) {
    await recordAudit(
      db,
      { ...origin, actor: { type: 'anonymous' } },
      {
        action: 'auth.sign_in_failed',
        details: { reason, ...details },
      },
    );
  }

  async function endSessionUrl(issuer: string, idToken: string | null | undefined): Promise<string> {
    if (!idToken) return '/';
    const settings = await rp.settingsForIssuer(issuer);
    if (!settings) return '/';
    try {
      const configuration = await rp.configurationFor(settings);
      if (!configuration.serverMetadata().end_session_endpoint) return '/';
      return client.buildEndSessionUrl(configuration, {
        id_token_hint: idToken,
        post_logout_redirect_uri: rp.postLogoutRedirectUri,
      }).href;
    } catch (err) {
      log.warn({ err }, 'end-session URL unavailable: signing out of Passerelle only');
      return '/';
    }
  }

  return {
    /** Starts a sign-in: state, nonce and PKCE verifier stay on the server, single use. */
    async beginSignIn(input: {
      returnTo: string;
      firmSlug?: string | undefined;
      firstSignIn?: boolean | undefined;
    }): Promise<{ redirectTo: string; state: string } | null> {
      // `?firm=<slug>`: sign in at that firm's own provider (an unknown slug: the deployment's).
      const firmId = input.firmSlug ? ((await findFirmBySlug(db, input.firmSlug))?.id ?? null) : null;
      const settings = await rp.settingsFor(firmId);
      let configuration: client.Configuration;
      try {
        configuration = await rp.configurationFor(settings);
      } catch (err) {
        log.error({ err, issuer: settings.issuer }, 'identity provider discovery failed');
        return null;
      }
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      await repo.insertAuthRequest(db, {
        state,
        nonce,
        codeVerifier,
        firmId,
        returnTo: input.returnTo,
        expiresAt: new Date(Date.now() + AUTH_REQUEST_TTL_MS),
      });
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: rp.redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        // Entra: the invitation's link (`first=1`) asks the guest's consent at the first sign-in.
        ...(settings.kind === 'entra' && input.firstSignIn ? { prompt: 'consent' } : {}),
      });
      return { redirectTo: url.href, state };
    },

    async completeSignIn(input: {
      browserState: string | undefined;
      currentUrl: URL;
      origin: RequestOrigin;
    }): Promise<SignInOutcome> {
      const { origin, currentUrl } = input;
      if (!input.browserState) {
        await fail(origin, 'missing_browser_binding');
        return { kind: 'failed', reason: 'missing_browser_binding' };
      }
      const pending = await repo.takeAuthRequest(db, input.browserState);
      if (!pending) {
        await fail(origin, 'unknown_request');
        return { kind: 'failed', reason: 'unknown_request' };
      }
      const returnTo = pending.returnTo;
      if (pending.expiresAt.getTime() < Date.now()) {
        await fail(origin, 'expired_request');
        return { kind: 'failed', reason: 'expired_request', returnTo };
      }
      if (currentUrl.searchParams.get('state') !== pending.state) {
        await fail(origin, 'state_mismatch');
        return { kind: 'failed', reason: 'state_mismatch', returnTo };
      }

      const settings = await rp.settingsFor(pending.firmId);
      const deploymentIssuer = (await rp.settingsFor(null)).issuer;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      let claims: client.IDToken;
      try {
        const configuration = await rp.configurationFor(settings);
        tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          pkceCodeVerifier: pending.codeVerifier,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new client.ClientError('no ID token');
        claims = idClaims;
        // Providers that keep the ID token lean (the OIDC default) give e-mail at userinfo.
        if (claims.email === undefined && configuration.serverMetadata().userinfo_endpoint) {
          const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
          claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
        }
      } catch (err) {
        const reason = failureOf(err);
        if (!reason) {
          log.error({ err }, 'sign-in callback failed');
          await fail(origin, 'internal');
          return { kind: 'failed', reason: 'internal', returnTo };
        }
        log.info({ err, reason }, 'sign-in refused');
        await fail(origin, reason, {
          issuer: settings.issuer,
          ...(err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError
            ? { error: err.error }
            : {}),
        });
        return { kind: 'failed', reason, returnTo };
      }

      // Entra: the key is (tid, oid) in the firm's tenant, and only xms_edov vouches for the e-mail.
      let entra: EntraIdentity | null = null;
      if (settings.kind === 'entra') {
        const mapped = entraIdentityFromClaims(claims, {
          loginBaseUrl: ctx.config.entra.loginBaseUrl,
          tenantId: settings.tenantId ?? '',
        });
        if (!mapped.ok) {
          await fail(origin, 'invalid_response', { issuer: settings.issuer, entra: mapped.reason });
          return { kind: 'failed', reason: 'invalid_response', returnTo };
        }
        entra = mapped.identity;
      }
      const email = entra ? entra.email : stringClaim(claims.email);
      const emailVerified = entra ? entra.emailVerified : claims.email_verified === true;
      const displayName =
        stringClaim(claims.name) ??
        (([stringClaim(claims.given_name), stringClaim(claims.family_name)].filter(Boolean).join(' ') ||
          null) as string | null);

      const result = await db.transaction(async (tx) => {
        const now = new Date();
        const user = await repo.upsertUser(tx, {
          issuer: entra?.issuer ?? settings.issuer,
          subject: entra?.subject ?? claims.sub,
          email,
          displayName,
          now,
        });
        let staff = await repo.findBoundStaff(tx, user.id);
        let bound = false;
        // First sign-in: the e-mail is matched once, and only when the provider vouches for it.
        if (!staff && emailVerified && email) {
          const candidate = await repo.findBindableStaff(tx, email, settings.issuer, deploymentIssuer);
          if (candidate && (await repo.bindStaffToUser(tx, candidate.staff.id, user.id))) {
            staff = candidate;
            bound = true;
          }
        }
        // An Entra guest: the contact Graph invited as this `oid` (never by e-mail).
        if (!staff && entra && pending.firmId && settings.tenantId) {
          const contact = await signInEntraContact(tx, {
            firmId: pending.firmId,
            firmTenantId: settings.tenantId,
            identity: entra,
            userId: user.id,
          });
          if (contact.ok) {
            const actor: ClientActor = {
              type: 'client',
              userId: user.id,
              firmId: pending.firmId,
              contactId: contact.contactId,
            };
            const session = await ctx.sessions.start(
              {
                userId: user.id,
                firmId: pending.firmId,
                kind: 'client',
                principalId: contact.contactId,
                idToken: tokens.id_token ?? null,
                ip: origin.ip ?? null,
                userAgent: origin.userAgent ?? null,
              },
              tx,
            );
            await recordAudit(
              tx,
              { ...origin, actor },
              {
                action: 'auth.sign_in',
                targetType: 'contact',
                targetId: contact.contactId,
                details: { issuer: entra.issuer, boundAtThisSignIn: contact.boundNow },
              },
            );
            return session;
          }
        }
        // A client contact with a live service, bound on (issuer, sub) or, once, on the verified
        // e-mail. Staff take precedence: a person who is both lands in the back office.
        if (!staff && settings.kind !== 'entra') {
          const client = await findClientToSignIn(tx, {
            userId: user.id,
            issuer: settings.issuer,
            deploymentIssuer,
            email,
            emailVerified,
          });
          if (client) {
            const actor: ClientActor = {
              type: 'client',
              userId: user.id,
              firmId: client.firmId,
              contactId: client.contactId,
            };
            await recordClientSignIn(tx, client.contactId, now);
            const session = await ctx.sessions.start(
              {
                userId: user.id,
                firmId: client.firmId,
                kind: 'client',
                principalId: client.contactId,
                idToken: tokens.id_token ?? null,
                ip: origin.ip ?? null,
                userAgent: origin.userAgent ?? null,
              },
              tx,
            );
            await recordAudit(
              tx,
              { ...origin, actor },
              {
                action: 'auth.sign_in',
                targetType: 'contact',
                targetId: client.contactId,
                details: { issuer: settings.issuer, boundAtThisSignIn: client.boundAtThisSignIn },
              },
            );
            return session;
          }
        }
        if (!staff) {
          await recordAudit(
            tx,
            { ...origin, actor: { type: 'anonymous' } },
            {
              action: 'auth.sign_in_failed',
              targetType: 'user',
              targetId: user.id,
              details: { reason: 'no_access', issuer: settings.issuer, emailVerified },
            },
          );
          return null;
        }
        const actor: StaffActor = {
          type: 'staff',
          userId: user.id,
          firmId: staff.firm.id,
          staffId: staff.staff.id,
          role: staff.staff.role,
          seesAllFiles: staff.firm.settings.collaboratorsSeeAllFiles ?? true,
        };
        const session = await ctx.sessions.start(
          {
            userId: user.id,
            firmId: staff.firm.id,
            kind: 'staff',
            principalId: staff.staff.id,
            idToken: tokens.id_token ?? null,
            ip: origin.ip ?? null,
            userAgent: origin.userAgent ?? null,
          },
          tx,
        );
        await recordAudit(
          tx,
          { ...origin, actor },
          {
            action: 'auth.sign_in',
            targetType: 'staff_member',
            targetId: staff.staff.id,
            details: { issuer: settings.issuer, boundAtThisSignIn: bound },
          },
        );
        return session;
      });

      if (!result) {
        return {
          kind: 'no_access',
          email,
          emailVerified,
          switchAccountHref: await endSessionUrl(settings.issuer, tokens.id_token),
        };
      }
      // Clients land in their space; staff never land there (its pages refuse them).
      const signedIn = await ctx.sessions.load(result.token);
      const kind = signedIn?.actor.type === 'client' ? 'client' : 'staff';
      return {
        kind: 'signed_in',
        token: result.token,
        expiresAt: result.expiresAt,
        returnTo: landingFor(kind, returnTo),
      };
    },

    async endSessionToken(token: string) {
      await ctx.sessions.end(token);
    },

    /** Ends the session here; the caller then sends the browser to the provider's sign-out. */
    async signOut(input: {
      token: string | undefined;
      actor: Actor;
      idToken: string | null;
      origin: RequestOrigin;
    }) {
      if (input.token) await ctx.sessions.end(input.token);
      await recordAudit(db, input.origin, { action: 'auth.sign_out' });
      if (input.actor.type === 'anonymous') return { redirectTo: '/' };
      const issuer = await repo.findUserIssuer(db, input.actor.userId);
      return { redirectTo: issuer ? await endSessionUrl(issuer, input.idToken) : '/' };
    },

    async describeSession(actor: Actor, csrfToken: string): Promise<SessionResponse> {
      switch (actor.type) {
        case 'staff': {
          const row = await repo.findStaffForSession(db, actor.staffId);
          if (!row) throw new AppError('UNAUTHENTICATED');
          return {
            kind: 'staff',
            csrfToken,
            firm: { id: row.firm.id, name: row.firm.name, slug: row.firm.slug },
            user: {
              staffId: row.staff.id,
              email: row.staff.email,
              firstName: row.staff.firstName,
              lastName: row.staff.lastName,
              role: row.staff.role,
            },
          };
        }
        case 'client': {
          const row = await repo.findContactForSession(db, actor.contactId);
          if (!row) throw new AppError('UNAUTHENTICATED');
          return {
            kind: 'client',
            csrfToken,
            firm: row.firm,
            user: {
              contactId: row.contact.id,
              email: row.contact.email,
              firstName: row.contact.firstName,
              lastName: row.contact.lastName,
            },
          };
        }
        case 'anonymous':
          throw new AppError('UNAUTHENTICATED');
      }
    },

    async sweepExpired() {
      await repo.deleteExpiredAuthRequests(db, new Date());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
