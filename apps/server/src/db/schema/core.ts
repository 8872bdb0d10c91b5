import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A tenant: one accounting firm. Nothing of one firm is ever visible to another. */
export const firms = pgTable('firms', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<FirmSettings>().notNull().default({}),
  createdAt: createdAt(),
});

export interface FirmSettings {
  /** Collaborators see every file of the firm, not only those they are responsible for. */
  collaboratorsSeeAllFiles?: boolean;
}

/**
 * Where a firm's people sign in. `embedded` is the built-in provider; `oidc` any standard
 * issuer; `entra` a Microsoft Entra ID tenant (guest invitations through Microsoft Graph).
 */
export const identityProviders = pgTable('identity_providers', {
  id: uuid('id').primaryKey().defaultRandom(),
  firmId: uuid('firm_id')
    .notNull()
    .references(() => firms.id, { onDelete: 'cascade' })
    .unique(),
  kind: text('kind', { enum: ['embedded', 'oidc', 'entra'] }).notNull(),
  issuer: text('issuer').notNull(),
  clientId: text('client_id'),
  clientSecret: text('client_secret'),
  tenantId: text('tenant_id'),
  createdAt: createdAt(),
});

/** A person as the identity provider knows them: keyed on (issuer, subject), never on e-mail. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    displayName: text('display_name'),
    createdAt: createdAt(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_issuer_subject_key').on(t.issuer, t.subject)],
);

export const staffMembers = pgTable(
  'staff_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    /** Bound at first sign-in, when the provider asserts the verified e-mail. */
    userId: uuid('user_id').references(() => users.id),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    role: text('role', { enum: ['administrateur', 'collaborateur', 'lecture_seule'] }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('staff_members_firm_email_key').on(t.firmId, sql`lower(${t.email})`),
    uniqueIndex('staff_members_firm_user_key').on(t.firmId, t.userId),
  ],
);

/** Server-side sessions: the cookie carries a random token, the table its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['staff', 'client'] }).notNull(),
    /** The staff member or client contact this session acts as. */
    principalId: uuid('principal_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    idToken: text('id_token'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** A sign-in in progress at the relying party: state, nonce and PKCE verifier, single use. */
export const authRequests = pgTable('auth_requests', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  firmId: uuid('firm_id').references(() => firms.id, { onDelete: 'cascade' }),
  returnTo: text('return_to').notNull().default('/'),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Keys that must survive restarts (JWKS, cookie keys of the embedded provider). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  createdAt: createdAt(),
});

/** Every security-relevant act: who, what, on what, when, from where. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').references(() => firms.id, { onDelete: 'cascade' }),
    actorType: text('actor_type', { enum: ['staff', 'client', 'system', 'anonymous'] }).notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_firm_at_idx').on(t.firmId, t.at)],
);
