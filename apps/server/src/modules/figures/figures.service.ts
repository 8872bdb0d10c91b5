import { errorMessagesFr } from '@passerelle/contracts/errors';
import type {
  FecImport,
  FecImportQuery,
  FecImportReport,
  FecImportResult,
  FecRefused,
  FecReportSummary,
  FileFigures,
  YearFigures,
} from '@passerelle/contracts/figures';
import {
  computeIndicators,
  type FecReport,
  type FiscalYear,
  fiscalYearFromFileName,
  formatReportFr,
  toEuroFigures,
} from '@passerelle/fec';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../lib/errors.ts';
import { claimedNameProblem, sanitizeFileName } from '../../lib/uploads/file-name.ts';
import {
  assertClientCapability,
  assertStaffCanChangeFile,
  assertStaffCanSeeFile,
  type ClientActor,
  clientFileAccess,
  type StaffActor,
} from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { findFile } from '../portfolio/portfolio.repository.ts';
import { fiscalYearFromPeriod, requestedFiscalYear } from './figures.fiscal-year.ts';
import { fileFecInGed } from './figures.ged.ts';
import * as repo from './figures.repository.ts';
import { type FecUploadPart, receiveFec } from './figures.upload.ts';

/** Issues kept per kind in a stored report; every count stays exact. */
const REPORT_ISSUES_PER_CODE = 50;

export type FecImportOutcome =
  | { status: 'accepted'; result: FecImportResult }
  | { status: 'refused'; body: FecRefused };

export function createFiguresService(ctx: AppContext) {
  const { db } = ctx;

  const loadImport = async (fileId: string, importId: string): Promise<FecImport> => {
    const row = await repo.findImport(db, fileId, importId);
    if (!row) throw new AppError('NOT_FOUND');
    return toFecImport(row);
  };

  return {
    /**
     * Reads an uploaded FEC for a file and fiscal year. Refused: a history row with the report,
     * nothing else changes. Accepted: the raw file is kept and, in one transaction, the import
     * and its aggregates become the fiscal year's current figures, replacing the previous import.
     * (The raw file goes into the GED folder "Comptabilité" once the GED exists; until then the
     * import row holds its blob key.)
     */
    async importFec(
      actor: StaffActor,
      origin: RequestOrigin,
      fileId: string,
      query: FecImportQuery,
      openUpload: () => Promise<FecUploadPart | undefined>,
    ): Promise<FecImportOutcome> {
      assertStaffCanChangeFile(actor, await findFile(db, actor.firmId, fileId));
      const requested = requestedFiscalYear(query);
      const part = await openUpload();
      if (part === undefined) {
        throw new AppError('VALIDATION_FAILED', undefined, [
          { path: 'file', code: 'required', message: 'Un fichier FEC est attendu.' },
        ]);
      }
      const claimedName = part.filename ?? '';
      if (claimedNameProblem(claimedName) !== undefined) {
        part.file.destroy();
        throw new AppError('FILE_NAME_INVALID');
      }
      const originalName = claimedName === '' ? 'FEC.txt' : sanitizeFileName(claimedName);
      const known = requested ?? fiscalYearFromFileName(originalName);

      const { result, blob, bytesRead } = await receiveFec(ctx.blobs, part, {
        maxBytes: ctx.config.uploadMaxBytes,
        read: {
          maxIssuesPerCode: REPORT_ISSUES_PER_CODE,
          ...(known ? { fiscalYearStart: known.start, fiscalYearEnd: known.end } : {}),
        },
      });
      const report = storableReport(result.report);
      const fiscalYear = known ?? fiscalYearFromPeriod(report.period);
      const common = {
        firmId: actor.firmId,
        fileId,
        fiscalYearStart: fiscalYear?.start ?? null,
        fiscalYearEnd: fiscalYear?.end ?? null,
        report,
        summary: summarize(report),
        originalName,
        lineCount: report.lineCount,
        importedBy: actor.staffId,
      };

      if (report.status === 'refused') {
        const importId = await db.transaction(async (tx) => {
          const id = await repo.insertImport(tx, {
            ...common,
            status: 'refused',
            size: bytesRead,
            sha256: null,
            blobKey: null,
            current: false,
          });
          await recordAudit(tx, origin, {
            action: 'fec.refused',
            targetType: 'file',
            targetId: fileId,
            details: { importId: id, fiscalYear, errorCount: report.errorCount, name: originalName },
          });
          return id;
        });
        return {
          status: 'refused',
          body: {
            error: { code: 'FEC_REFUSED', message: errorMessagesFr.FEC_REFUSED, importId, report },
          },
        };
      }

      // An accepted file has entries (so a period) and was stored whole.
      if (blob === null || fiscalYear === null)
        throw new Error('accepted FEC without its raw file or fiscal year');
      const { importId, replacedImportId } = await db.transaction(async (tx) => {
        if (!(await repo.lockFile(tx, fileId))) throw new AppError('NOT_FOUND');
        const replaced = await repo.retireCurrentImport(tx, fileId, fiscalYear.end);
        const id = await repo.insertImport(tx, {
          ...common,
          status: 'accepted',
          size: blob.size,
          sha256: blob.sha256,
          blobKey: blob.key,
          current: true,
        });
        if (replaced !== null) await repo.deleteAggregates(tx, replaced);
        await repo.insertAggregates(tx, id, fileId, result.aggregates);
        await fileFecInGed(tx, actor, {
          fileId,
          name: sanitizeFileName(originalName, 'txt'),
          size: blob.size,
          sha256: blob.sha256,
          blobKey: blob.key,
          fiscalYearEnd: fiscalYear.end,
        });
        await recordAudit(tx, origin, {
          action: 'fec.imported',
          targetType: 'file',
          targetId: fileId,
          details: {
            importId: id,
            fiscalYear,
            lineCount: report.lineCount,
            warningCount: report.warningCount,
            replacedImportId: replaced,
            name: originalName,
          },
        });
        return { importId: id, replacedImportId: replaced };
      });
      return { status: 'accepted', result: { import: await loadImport(fileId, importId), replacedImportId } };
    },

    async listImports(actor: StaffActor, fileId: string): Promise<{ items: FecImport[] }> {
      assertStaffCanSeeFile(actor, await findFile(db, actor.firmId, fileId));
      const rows = await repo.listImports(db, fileId);
      return { items: rows.map(toFecImport) };
    },

    async getImportReport(actor: StaffActor, fileId: string, importId: string): Promise<FecImportReport> {
      assertStaffCanSeeFile(actor, await findFile(db, actor.firmId, fileId));
      const item = await loadImport(fileId, importId);
      const report = (await repo.findImportReport(db, importId)) as FecReport;
      return { import: item, report, text: formatReportFr(report, { fileName: item.originalName }) };
    },

    async getFigures(actor: StaffActor, fileId: string, fiscalYearEnd?: string): Promise<FileFigures> {
      assertStaffCanSeeFile(actor, await findFile(db, actor.firmId, fileId));
      return getFileFigures(db, fileId, { fiscalYearEnd });
    },

    /**
     * The client dashboard's figures: the same as the firm's, for a contact who may see the file
     * (SPEC §7) under an offer granting the dashboard. A contact limited to some GED folders
     * ("Limité à") sees them only if the firm allows it; otherwise "not found", like a file out
     * of reach, so the answer says nothing of what the books hold (decision 071).
     */
    async getClientFigures(actor: ClientActor, fileId: string, fiscalYearEnd?: string): Promise<FileFigures> {
      const access = await clientFileAccess(db, actor, fileId);
      assertClientCapability(access, 'dashboard.read');
      if (access.limitedTo !== null && !access.figuresAllowed) throw new AppError('NOT_FOUND');
      return getFileFigures(db, fileId, { fiscalYearEnd });
    },
  };
}

/**
 * Key figures of a file for one fiscal year (the latest imported, by default) and the fiscal year
 * before it, from the current imports' aggregates. No permission check: the caller (staff
 * dashboard, client dashboard) has made its own. Read in one snapshot, so a re-import committing
 * meanwhile is seen entirely or not at all.
 */
export async function getFileFigures(
  db: Db,
  fileId: string,
  options: { fiscalYearEnd?: string | undefined } = {},
): Promise<FileFigures> {
  return db.transaction(
    async (tx) => {
      const years = await repo.listCurrentImports(tx, fileId);
      const current =
        options.fiscalYearEnd === undefined
          ? years[0]
          : years.find((year) => year.fiscalYearEnd === options.fiscalYearEnd);
      if (options.fiscalYearEnd !== undefined && current === undefined) throw new AppError('NOT_FOUND');
      const fiscalYears = years.map((year) => ({ start: year.fiscalYearStart, end: year.fiscalYearEnd }));
      if (current === undefined) return { fileId, fiscalYears, current: null, previous: null };

      // Latest first: the first year closing before the current one is the previous year.
      const previous = years.find((year) => year.fiscalYearEnd < current.fiscalYearEnd);
      const rows = await repo.loadAggregates(tx, previous ? [current.id, previous.id] : [current.id]);
      const figuresOf = (year: (typeof years)[number]): YearFigures => {
        const fiscalYear: FiscalYear = { start: year.fiscalYearStart, end: year.fiscalYearEnd };
        const aggregates = rows.filter((row) => row.importId === year.id);
        const indicators = computeIndicators(aggregates, {
          fiscalYearStart: fiscalYear.start,
          fiscalYearEnd: fiscalYear.end,
        });
        const { byMonth, period: _period, ...figures } = toEuroFigures(indicators);
        return { importId: year.id, fiscalYear, importedAt: year.importedAt.toISOString(), figures, byMonth };
      };
      return {
        fileId,
        fiscalYears,
        current: figuresOf(current),
        previous: previous ? figuresOf(previous) : null,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** PostgreSQL text cannot hold NUL, which a hostile file may put into the values a report quotes. */
function storableReport(report: FecReport): FecReport {
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) =>
      typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
    ),
  ) as FecReport;
}

function summarize(report: FecReport): FecReportSummary {
  return {
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    lineCount: report.lineCount,
    period: report.period,
    totals: report.totals,
    journalCount: report.journals.length,
    stoppedEarly: report.stoppedEarly,
    issues: report.issues.map((group) => ({
      code: group.code,
      severity: group.severity,
      count: group.count,
      example: group.issues[0]?.message ?? null,
    })),
  };
}

function toFecImport(row: repo.FecImportRow): FecImport {
  return {
    id: row.id,
    fileId: row.fileId,
    status: row.status,
    current: row.current,
    fiscalYear:
      row.fiscalYearStart !== null && row.fiscalYearEnd !== null
        ? { start: row.fiscalYearStart, end: row.fiscalYearEnd }
        : null,
    originalName: row.originalName,
    size: row.size,
    sha256: row.sha256,
    lineCount: row.lineCount,
    rawFileKept: row.blobKey !== null,
    importedBy:
      row.importedById === null
        ? null
        : { id: row.importedById, name: `${row.importedByFirst ?? ''} ${row.importedByLast ?? ''}`.trim() },
    importedAt: row.importedAt.toISOString(),
    summary: row.summary as FecReportSummary,
  };
}
