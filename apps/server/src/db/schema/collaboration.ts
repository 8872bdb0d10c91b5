import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { firms, staffMembers, users } from './core.ts';
import { clientFiles } from './portfolio.ts';

/** What a client contact may do under an offer; richer offers grant more. */
export type Capability = 'ged.read' | 'pieces.deposit' | 'dashboard.read' | 'backoffice.read';

/** The catalog of collaborative offers: data, not code (kept in sync at boot). */
export const offers = pgTable('offers', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  description: text('description').notNull(),
  capabilities: jsonb('capabilities').$type<Capability[]>().notNull(),
  excluded: text('excluded').notNull().default(''),
  position: integer('position').notNull().default(0),
  free: boolean('free').notNull().default(true),
});

/** An offer activated on a client file. Deactivating keeps the row (history) with its date. */
export const fileOffers = pgTable(
  'file_offers',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    offerCode: text('offer_code')
      .notNull()
      .references(() => offers.code),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    active: boolean('active').notNull().default(true),
    activatedAt: timestamp('activated_at', { withTimezone: true }).notNull().defaultNow(),
    activatedBy: uuid('activated_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.fileId, t.offerCode] }),
    index('file_offers_firm_idx').on(t.firmId, t.active),
  ],
);

/** The firm's organizational roles (Dirigeant, Gérant…). A retired role stays on contacts. */
export const orgRoles = pgTable(
  'org_roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('org_roles_firm_name_key').on(t.firmId, sql`lower(${t.name})`)],
);

/** A person at a client company (interlocuteur). The e-mail is their identity at the provider. */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    civility: text('civility', { enum: ['M.', 'Mme'] }),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    orgRoleId: uuid('org_role_id').references(() => orgRoles.id),
    /** Bound once, at the first sign-in with a verified e-mail; later sign-ins use it alone. */
    userId: uuid('user_id').references(() => users.id),
    /** The provider's account id of the invited person (Entra: invitedUser.id). */
    externalId: text('external_id'),
    invitationState: text('invitation_state', {
      enum: ['none', 'invited', 'accepted', 'failed'],
    })
      .notNull()
      .default('none'),
    invitationError: text('invitation_error'),
    firstSignInAt: timestamp('first_sign_in_at', { withTimezone: true }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_firm_email_key').on(t.firmId, sql`lower(${t.email})`),
    uniqueIndex('contacts_firm_user_key').on(t.firmId, t.userId),
    index('contacts_firm_name_idx').on(t.firmId, t.lastName, t.firstName),
  ],
);

/** A contact linked to a file. `limitedTo` null is "-" (whole file), else top-level GED folders. */
export const contactFiles = pgTable(
  'contact_files',
  {
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    limitedTo: jsonb('limited_to').$type<string[] | null>(),
    figuresAllowed: boolean('figures_allowed').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.fileId] }), index('contact_files_file_idx').on(t.fileId)],
);

/** A collaborative service proposed to a contact on a file under an offer. */
export const collaborativeServices = pgTable(
  'collaborative_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    offerCode: text('offer_code')
      .notNull()
      .references(() => offers.code),
    state: text('state', { enum: ['proposee', 'revoquee'] })
      .notNull()
      .default('proposee'),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    proposedBy: uuid('proposed_by').references(() => staffMembers.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => staffMembers.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('collaborative_services_live_key')
      .on(t.fileId, t.contactId, t.offerCode)
      .where(sql`${t.state} = 'proposee'`),
    index('collaborative_services_contact_idx').on(t.contactId),
  ],
);

/** Invitation to join the firm's identity organization: the link's token is stored hashed. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invitations_contact_idx').on(t.contactId)],
);

/** Widgets (extensions) of a file's dashboard, e.g. the collaborative tile. */
export const fileWidgets = pgTable(
  'file_widgets',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => clientFiles.id, { onDelete: 'cascade' }),
    widget: text('widget').notNull(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    active: boolean('active').notNull().default(true),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: uuid('changed_by').references(() => staffMembers.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.widget] })],
);
