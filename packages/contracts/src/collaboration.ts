import { z } from 'zod';

const trimmed = (max: number) => z.string().trim().min(1).max(max);

// ---- Offers -------------------------------------------------------------------------------
export const capabilitySchema = z.enum(['ged.read', 'pieces.deposit', 'dashboard.read', 'backoffice.read']);
export const offerSchema = z.object({
  code: z.string(),
  label: z.string(),
  description: z.string(),
  capabilities: z.array(capabilitySchema),
  excluded: z.string(),
  free: z.boolean(),
});
export type Offer = z.infer<typeof offerSchema>;
export const offerListSchema = z.object({ items: z.array(offerSchema) });

/** PUT /api/files/:fileId/offer — `offerCode: null` deactivates. */
export const setFileOfferSchema = z.object({ offerCode: z.string().min(1).max(50).nullable() });
export const fileOfferResponseSchema = z.object({
  offer: z.object({ code: z.string(), label: z.string(), activatedAt: z.string() }).nullable(),
});

// ---- Client files -------------------------------------------------------------------------
export const sirenSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, ''));

export const fileInputSchema = z.object({
  code: trimmed(20),
  name: trimmed(200),
  siren: sirenSchema.nullable().optional(),
  legalForm: z.string().trim().max(20).nullable().optional(),
  fiscalYearEnd: z.iso.date().nullable().optional(),
  responsibleId: z.uuid().nullable().optional(),
});
export type FileInput = z.infer<typeof fileInputSchema>;
export const fileUpdateSchema = fileInputSchema.partial();

export const fileDetailSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  siren: z.string().nullable(),
  legalForm: z.string().nullable(),
  fiscalYearEnd: z.string().nullable(),
  responsible: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  offer: z.object({ code: z.string(), label: z.string(), activatedAt: z.string() }).nullable(),
});
export type FileDetail = z.infer<typeof fileDetailSchema>;

export const importLineSchema = z.object({
  line: z.number().int(),
  values: z.record(z.string(), z.string()),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
export const importReportSchema = z.object({
  committed: z.boolean(),
  encoding: z.string(),
  separator: z.string(),
  total: z.number().int(),
  valid: z.number().int(),
  lines: z.array(importLineSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const staffListSchema = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.string(), email: z.string() })),
});

// ---- Organizational roles -----------------------------------------------------------------
export const orgRoleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  retired: z.boolean(),
  contactCount: z.number().int(),
});
export type OrgRole = z.infer<typeof orgRoleSchema>;
export const orgRoleListSchema = z.object({ items: z.array(orgRoleSchema) });
export const orgRoleCreateSchema = z.object({ name: trimmed(80) });
export const orgRoleUpdateSchema = z.object({
  name: trimmed(80).optional(),
  retired: z.boolean().optional(),
});

// ---- Contacts (interlocuteurs) ------------------------------------------------------------
export const contactInputSchema = z.object({
  civility: z.enum(['M.', 'Mme']).nullable().optional(),
  lastName: trimmed(100),
  firstName: trimmed(100),
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  phone: z
    .string()
    .trim()
    .max(30)
    .regex(/^[+0-9 ().-]*$/)
    .nullable()
    .optional(),
  orgRoleId: z.uuid().nullable().optional(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;
export const contactUpdateSchema = contactInputSchema.partial();

export const invitationStateSchema = z.enum(['none', 'invited', 'accepted', 'failed']);
export const contactSchema = z.object({
  id: z.uuid(),
  civility: z.enum(['M.', 'Mme']).nullable(),
  lastName: z.string(),
  firstName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  orgRole: z.object({ id: z.uuid(), name: z.string(), retired: z.boolean() }).nullable(),
  invitationState: invitationStateSchema,
  firstSignInAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  fileCount: z.number().int(),
});
export type Contact = z.infer<typeof contactSchema>;
export const contactListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const contactListSchema = z.object({ items: z.array(contactSchema), total: z.number().int() });

// ---- Contact ↔ file links and services ----------------------------------------------------
/** `limitedTo: null` is "-": the whole file; otherwise top-level GED folder names. */
export const linkInputSchema = z.object({
  fileId: z.uuid(),
  limitedTo: z.array(trimmed(100)).max(20).nullable().optional(),
});
export const fileContactLinkInputSchema = z.object({ contactId: z.uuid() });
export const linkUpdateSchema = z.object({
  limitedTo: z.array(trimmed(100)).max(20).nullable().optional(),
  figuresAllowed: z.boolean().optional(),
});

export const serviceSchema = z.object({
  id: z.uuid(),
  offerCode: z.string(),
  offerLabel: z.string(),
  state: z.enum(['proposee', 'revoquee']),
  proposedAt: z.string(),
});
export const linkSchema = z.object({
  contactId: z.uuid(),
  fileId: z.uuid(),
  fileCode: z.string(),
  fileName: z.string(),
  contactName: z.string(),
  contactEmail: z.string(),
  limitedTo: z.array(z.string()).nullable(),
  figuresAllowed: z.boolean(),
  fileOffer: z.object({ code: z.string(), label: z.string() }).nullable(),
  services: z.array(serviceSchema),
});
export type Link = z.infer<typeof linkSchema>;
export const linkListSchema = z.object({ items: z.array(linkSchema) });
export const proposeServiceSchema = z.object({ offerCode: z.string().min(1).max(50) });

// ---- File dashboard -----------------------------------------------------------------------
export const widgetContactSchema = z.object({
  contactId: z.uuid(),
  name: z.string(),
  email: z.string(),
  state: z.enum(['invite', 'invitation_acceptee', 'connecte']),
  invitationState: invitationStateSchema,
  invitationError: z.string().nullable(),
  firstSignInAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  proposedAt: z.string(),
});
export const fileDashboardSchema = z.object({
  file: fileDetailSchema,
  collaborativeWidget: z.object({
    active: z.boolean(),
    summary: z
      .object({
        offer: z.object({ code: z.string(), label: z.string() }).nullable(),
        contacts: z.array(widgetContactSchema),
        pieces: z.object({ deposited: z.number().int(), waiting: z.number().int() }),
        documentsShared: z.number().int(),
      })
      .nullable(),
  }),
});
export type FileDashboard = z.infer<typeof fileDashboardSchema>;
export const widgetUpdateSchema = z.object({ active: z.boolean() });

// ---- Audit --------------------------------------------------------------------------------
export const auditQuerySchema = z.object({
  action: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const auditEventSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const auditListSchema = z.object({ items: z.array(auditEventSchema) });
