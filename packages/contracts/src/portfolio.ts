import { z } from 'zod';

export const offerStateSchema = z.enum(['none', 'active']);

export const clientFileSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  siren: z.string().nullable(),
  legalForm: z.string().nullable(),
  fiscalYearEnd: z.string().nullable(),
  responsible: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  offer: z.object({ code: z.string(), label: z.string() }).nullable(),
  contactCount: z.number().int(),
});
export type ClientFile = z.infer<typeof clientFileSchema>;

export const portfolioSortSchema = z.enum(['code', 'name', 'siren', 'fiscalYearEnd', 'responsible']);

/** GET /api/files */
export const portfolioQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  offer: offerStateSchema.optional(),
  responsibleId: z.uuid().optional(),
  sort: portfolioSortSchema.default('code'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type PortfolioQuery = z.infer<typeof portfolioQuerySchema>;

export const portfolioResponseSchema = z.object({
  items: z.array(clientFileSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type PortfolioResponse = z.infer<typeof portfolioResponseSchema>;
