import { z } from 'zod';

/**
 * FEC imports and the key figures computed from them (SPEC 6.4). Report amounts are integer
 * cents, as the reader produces them; key figures are euros (at most two decimals).
 */

const isoDate = z.iso.date();

export const fiscalYearSchema = z.object({ start: isoDate, end: isoDate });
export type FiscalYear = z.infer<typeof fiscalYearSchema>;

// ---- Import -------------------------------------------------------------------------------

/**
 * POST /api/files/:fileId/fec — multipart, one file part. Without a fiscal year the server reads
 * it from the file name (`…FECAAAAMMJJ.txt`), else from the dates of the entries; with only one
 * bound, the year is twelve months.
 */
export const fecImportQuerySchema = z.object({
  fiscalYearStart: isoDate.optional(),
  fiscalYearEnd: isoDate.optional(),
});
export type FecImportQuery = z.infer<typeof fecImportQuerySchema>;

const issueSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});

const issueGroupSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  count: z.number().int(),
  issues: z.array(issueSchema),
});

// Dates inside a stored report are shown as read; they are not re-validated on the way out.
const periodSchema = z.object({ first: z.string(), last: z.string() }).nullable();

/** The reader's validation report as stored (issues capped per kind, counts exact). */
export const fecReportSchema = z.object({
  status: z.enum(['accepted', 'refused']),
  meta: z.object({
    encoding: z.string(),
    hasBom: z.boolean(),
    separator: z.string().nullable(),
    lineEnding: z.string(),
    columns: z.array(z.string()),
    amountLayout: z.string().nullable(),
    variant: z.string().nullable(),
    extraColumns: z.array(z.string()),
    trailingSeparator: z.boolean(),
  }),
  lineCount: z.number().int(),
  period: periodSchema,
  flowPeriod: periodSchema,
  totals: z.object({ debitCents: z.number().int(), creditCents: z.number().int(), balanced: z.boolean() }),
  journals: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      lineCount: z.number().int(),
      debitCents: z.number().int(),
      creditCents: z.number().int(),
      firstDate: z.string().nullable(),
      lastDate: z.string().nullable(),
      opening: z.boolean(),
      openingReason: z.string().nullable(),
    }),
  ),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  issues: z.array(issueGroupSchema),
  stoppedEarly: z.boolean(),
});
export type FecReportBody = z.infer<typeof fecReportSchema>;

/** What the history shows of a report: counts, period, totals, and each kind of issue once. */
export const fecReportSummarySchema = z.object({
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  lineCount: z.number().int(),
  period: periodSchema,
  totals: z.object({ debitCents: z.number().int(), creditCents: z.number().int(), balanced: z.boolean() }),
  journalCount: z.number().int(),
  stoppedEarly: z.boolean(),
  issues: z.array(
    z.object({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      count: z.number().int(),
      /** The first occurrence, in French. */
      example: z.string().nullable(),
    }),
  ),
});
export type FecReportSummary = z.infer<typeof fecReportSummarySchema>;

export const fecImportSchema = z.object({
  id: z.uuid(),
  fileId: z.uuid(),
  status: z.enum(['accepted', 'refused']),
  /** The accepted import the figures come from for its fiscal year. */
  current: z.boolean(),
  /** Null only for a refused file whose year could not be told. */
  fiscalYear: fiscalYearSchema.nullable(),
  originalName: z.string(),
  size: z.number().int(),
  sha256: z.string().nullable(),
  lineCount: z.number().int(),
  /** Whether the raw file is kept (accepted imports only). */
  rawFileKept: z.boolean(),
  importedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  importedAt: z.string(),
  summary: fecReportSummarySchema,
});
export type FecImport = z.infer<typeof fecImportSchema>;

export const fecImportResultSchema = z.object({
  import: fecImportSchema,
  /** The import of the same fiscal year this one replaced, if any. */
  replacedImportId: z.uuid().nullable(),
});
export type FecImportResult = z.infer<typeof fecImportResultSchema>;

/** 422 body of a refused FEC: the error, the report, and the history row recording the attempt. */
export const fecRefusedSchema = z.object({
  error: z.object({
    code: z.literal('FEC_REFUSED'),
    message: z.string(),
    importId: z.uuid(),
    report: fecReportSchema,
  }),
});
export type FecRefused = z.infer<typeof fecRefusedSchema>;

export const fecImportListSchema = z.object({ items: z.array(fecImportSchema) });

export const fecImportReportSchema = z.object({
  import: fecImportSchema,
  report: fecReportSchema,
  /** The report as plain French text, in the spirit of the DGFiP checker. */
  text: z.string(),
});
export type FecImportReport = z.infer<typeof fecImportReportSchema>;

// ---- Figures ------------------------------------------------------------------------------

export const figuresQuerySchema = z.object({ fiscalYearEnd: isoDate.optional() });

/** Key figures of one fiscal year, in euros. Formulas: docs/indicators.md. */
export const keyFiguresSchema = z.object({
  /** Chiffre d'affaires net. */
  revenue: z.number(),
  salesOfGoods: z.number(),
  costOfGoodsSold: z.number(),
  /** Marge commerciale. */
  commercialMargin: z.number(),
  /** Production de l'exercice. */
  production: z.number(),
  /** Consommations en provenance de tiers. */
  externalConsumption: z.number(),
  /** Valeur ajoutée. */
  valueAdded: z.number(),
  operatingSubsidies: z.number(),
  taxes: z.number(),
  personnelExpenses: z.number(),
  /** Excédent brut d'exploitation (EBE). */
  grossOperatingSurplus: z.number(),
  /** Résultat d'exploitation. */
  operatingIncome: z.number(),
  /** Résultat net. */
  netIncome: z.number(),
  /** Disponibilités. */
  cash: z.number(),
  /** Trésorerie nette. */
  netCash: z.number(),
  /** Créances clients. */
  receivables: z.number(),
  /** Dettes fournisseurs. */
  payables: z.number(),
  /** TVA collectée. */
  vatCollected: z.number(),
  /** TVA déductible. */
  vatDeductible: z.number(),
});
export type KeyFigures = z.infer<typeof keyFiguresSchema>;

export const monthlyFiguresSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  revenue: z.number(),
  netIncome: z.number(),
  /** At the end of the month. */
  cash: z.number(),
  netCash: z.number(),
});
export type MonthlyFigures = z.infer<typeof monthlyFiguresSchema>;

export const yearFiguresSchema = z.object({
  importId: z.uuid(),
  fiscalYear: fiscalYearSchema,
  importedAt: z.string(),
  figures: keyFiguresSchema,
  /** From the fiscal year's first month to its last. */
  byMonth: z.array(monthlyFiguresSchema),
});
export type YearFigures = z.infer<typeof yearFiguresSchema>;

export const fileFiguresSchema = z.object({
  fileId: z.uuid(),
  /** Fiscal years with a current import, latest first. */
  fiscalYears: z.array(fiscalYearSchema),
  /** Null when no FEC has been imported yet. */
  current: yearFiguresSchema.nullable(),
  /** The latest fiscal year before the current one, when imported. */
  previous: yearFiguresSchema.nullable(),
});
export type FileFigures = z.infer<typeof fileFiguresSchema>;
