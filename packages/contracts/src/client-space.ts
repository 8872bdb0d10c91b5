import { z } from 'zod';
import { capabilitySchema } from './collaboration.ts';

/**
 * The client space's API (`/api/client/*`): only what the contact may see, under the access
 * rule of SPEC §7, re-checked at each request.
 */
export const clientFileSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  firm: z.object({ id: z.uuid(), name: z.string() }),
  offer: z.object({ code: z.string(), label: z.string() }),
  /** What the offer grants the contact on this file (GED, pieces, dashboard…). */
  capabilities: z.array(capabilitySchema),
  /** null is "-" (the whole file); otherwise the top-level GED folders the contact sees. */
  limitedTo: z.array(z.string()).nullable(),
  figuresAllowed: z.boolean(),
});
export type ClientFileSummary = z.infer<typeof clientFileSummarySchema>;

/** GET /api/client/files: the files the contact has a live service on. */
export const clientFileListSchema = z.object({ items: z.array(clientFileSummarySchema) });
export type ClientFileList = z.infer<typeof clientFileListSchema>;

/** GET /api/client/files/:fileId: the file's overview (the client dashboard's header). */
export const clientFileOverviewSchema = clientFileSummarySchema.extend({
  legalForm: z.string().nullable(),
  siren: z.string().nullable(),
  fiscalYearEnd: z.string().nullable(),
  offer: z.object({ code: z.string(), label: z.string(), description: z.string() }),
});
export type ClientFileOverview = z.infer<typeof clientFileOverviewSchema>;
