import type { FileDetail, FileInput, ImportReport } from '@passerelle/contracts/collaboration';
import type { PortfolioQuery, PortfolioResponse } from '@passerelle/contracts/portfolio';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../lib/errors.ts';
import { assertStaffCanChangeFile, assertStaffCanSeeFile, type StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import { checkImportRows, type ImportFile, ImportFileError, readImportFile } from './portfolio.import.ts';
import * as repo from './portfolio.repository.ts';
import { isValidSiren, normalizeSiren } from './portfolio.rules.ts';

type FileUpdate = Partial<FileInput>;

/** The import was refused line by line: the report says what to fix, nothing was written. */
export class ImportInvalidError extends AppError {
  constructor(readonly report: ImportReport) {
    super('IMPORT_INVALID');
  }
}

/** A collaborator limited to their own files (firm setting): what they create must stay theirs. */
const seesOnlyOwnFiles = (actor: StaffActor) => actor.role === 'collaborateur' && !actor.seesAllFiles;

const fullName = (first: string | null, last: string | null) => `${first ?? ''} ${last ?? ''}`.trim();

const emptyToNull = (value: string | null | undefined) => (value === undefined ? undefined : value || null);

function codeTakenError() {
  return new AppError('FILE_CODE_TAKEN', undefined, [
    { path: 'code', code: 'taken', message: 'Un dossier du cabinet porte déjà ce code.' },
  ]);
}

/** Normalizes the optional fields as stored, and refuses a SIREN that is not one. */
function cleanFileFields(input: FileUpdate): repo.FileChanges {
  const changes: repo.FileChanges = {};
  if (input.code !== undefined) changes.code = input.code;
  if (input.name !== undefined) changes.name = input.name;
  if (input.siren !== undefined) {
    const siren = input.siren === null ? null : normalizeSiren(input.siren) || null;
    if (siren !== null && !isValidSiren(siren)) {
      throw new AppError('SIREN_INVALID', undefined, [
        {
          path: 'siren',
          code: 'siren_invalid',
          message: 'Le SIREN doit comporter 9 chiffres avec une clé valide.',
        },
      ]);
    }
    changes.siren = siren;
  }
  const legalForm = emptyToNull(input.legalForm);
  if (legalForm !== undefined) changes.legalForm = legalForm;
  if (input.fiscalYearEnd !== undefined) changes.fiscalYearEnd = input.fiscalYearEnd;
  if (input.responsibleId !== undefined) changes.responsibleId = input.responsibleId;
  return changes;
}

async function assertResponsibleAllowed(tx: DbOrTx, actor: StaffActor, responsibleId: string | null) {
  if (seesOnlyOwnFiles(actor) && responsibleId !== actor.staffId) {
    throw new AppError('FORBIDDEN', undefined, [
      {
        path: 'responsibleId',
        code: 'only_self',
        message: 'Vous ne voyez que vos dossiers : vous devez en rester le responsable.',
      },
    ]);
  }
  if (responsibleId !== null && !(await repo.findActiveStaff(tx, actor.firmId, responsibleId))) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        path: 'responsibleId',
        code: 'unknown_staff',
        message: "Ce responsable n'est pas un collaborateur actif du cabinet.",
      },
    ]);
  }
}

export function createPortfolioService(db: Db) {
  async function detail(tx: DbOrTx, actor: StaffActor, fileId: string): Promise<FileDetail> {
    const row = await repo.findFileDetail(tx, actor.firmId, fileId);
    assertStaffCanSeeFile(actor, row);
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      siren: row.siren,
      legalForm: row.legalForm,
      fiscalYearEnd: row.fiscalYearEnd,
      responsible: row.responsibleId
        ? { id: row.responsibleId, name: fullName(row.responsibleFirst, row.responsibleLast) }
        : null,
      offer: row.offer
        ? { code: row.offer.code, label: row.offer.label, activatedAt: row.offer.activatedAt.toISOString() }
        : null,
    };
  }

  async function importLookups(tx: DbOrTx, actor: StaffActor, file: ImportFile) {
    const codes = [...new Set(file.rows.map((r) => r.values.code.toLowerCase()).filter((c) => c !== ''))];
    const staff = await repo.listActiveStaff(tx, actor.firmId);
    return {
      existingCodes: await repo.takenCodes(tx, actor.firmId, codes),
      staffByEmail: new Map(staff.map((s) => [s.email.toLowerCase(), s.id])),
      ...(seesOnlyOwnFiles(actor) ? { onlyResponsibleId: actor.staffId } : {}),
    };
  }

  return {
    async list(actor: StaffActor, query: PortfolioQuery): Promise<PortfolioResponse> {
      const { rows, total } = await repo.listFiles(
        db,
        { firmId: actor.firmId, ...(seesOnlyOwnFiles(actor) ? { responsibleId: actor.staffId } : {}) },
        query,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          code: r.code,
          name: r.name,
          siren: r.siren,
          legalForm: r.legalForm,
          fiscalYearEnd: r.fiscalYearEnd,
          responsible: r.responsibleId
            ? { id: r.responsibleId, name: fullName(r.responsibleFirst, r.responsibleLast) }
            : null,
          offer: r.offer,
          contactCount: r.contactCount,
        })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    get(actor: StaffActor, fileId: string): Promise<FileDetail> {
      return detail(db, actor, fileId);
    },

    async create(actor: StaffActor, origin: RequestOrigin, input: FileInput): Promise<FileDetail> {
      const fields = cleanFileFields(input);
      const responsibleId =
        input.responsibleId === undefined && seesOnlyOwnFiles(actor)
          ? actor.staffId
          : (input.responsibleId ?? null);
      try {
        return await db.transaction(async (tx) => {
          await assertResponsibleAllowed(tx, actor, responsibleId);
          if (await repo.codeTaken(tx, actor.firmId, input.code)) throw codeTakenError();
          const { id } = await repo.insertFile(tx, {
            ...fields,
            firmId: actor.firmId,
            code: input.code,
            name: input.name,
            responsibleId,
          });
          await recordAudit(tx, origin, {
            action: 'file.created',
            targetType: 'file',
            targetId: id,
            details: { code: input.code, name: input.name },
          });
          return detail(tx, actor, id);
        });
      } catch (err) {
        // Two people creating the same code at once: the unique index decides.
        if (repo.isCodeConflict(err)) throw codeTakenError();
        throw err;
      }
    },

    async update(
      actor: StaffActor,
      origin: RequestOrigin,
      fileId: string,
      input: FileUpdate,
    ): Promise<FileDetail> {
      const requested = cleanFileFields(input);
      try {
        return await db.transaction(async (tx) => {
          const file = await repo.findFile(tx, actor.firmId, fileId);
          assertStaffCanChangeFile(actor, file);
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          for (const [key, to] of Object.entries(requested) as [keyof repo.FileChanges, unknown][]) {
            if (file[key] !== to) changes[key] = { from: file[key], to };
          }
          if (Object.keys(changes).length === 0) return detail(tx, actor, fileId);

          if ('responsibleId' in changes)
            await assertResponsibleAllowed(tx, actor, requested.responsibleId ?? null);
          if (requested.code !== undefined && 'code' in changes) {
            if (await repo.codeTaken(tx, actor.firmId, requested.code, fileId)) throw codeTakenError();
          }
          const applied = Object.fromEntries(
            Object.keys(changes).map((k) => [k, requested[k as keyof repo.FileChanges]]),
          );
          await repo.updateFile(tx, actor.firmId, fileId, applied);
          await recordAudit(tx, origin, {
            action: 'file.updated',
            targetType: 'file',
            targetId: fileId,
            details: { code: requested.code ?? file.code, changes },
          });
          return detail(tx, actor, fileId);
        });
      } catch (err) {
        if (repo.isCodeConflict(err)) throw codeTakenError();
        throw err;
      }
    },

    /** The firm's active staff, for the "responsable" picker and filter. */
    async listStaff(actor: StaffActor) {
      const rows = await repo.listActiveStaff(db, actor.firmId);
      return {
        items: rows.map((s) => ({
          id: s.id,
          name: fullName(s.firstName, s.lastName),
          role: s.role,
          email: s.email,
        })),
      };
    },

    /**
     * Preview (`commit` false) checks every line and writes nothing. Commit checks again inside
     * the transaction and writes every line or none: one error anywhere refuses the whole file.
     */
    async importFiles(actor: StaffActor, origin: RequestOrigin, bytes: Uint8Array, commit: boolean) {
      let file: ImportFile;
      try {
        file = readImportFile(bytes);
      } catch (err) {
        if (err instanceof ImportFileError) {
          throw new AppError('IMPORT_INVALID', err.message, [
            { path: 'file', code: 'unreadable', message: err.message },
          ]);
        }
        throw err;
      }

      if (!commit) {
        const { report } = checkImportRows(file, await importLookups(db, actor, file));
        return { committed: false, ...report } satisfies ImportReport;
      }

      try {
        return await db.transaction(async (tx) => {
          const { report, files } = checkImportRows(file, await importLookups(tx, actor, file));
          if (report.valid !== report.total) throw new ImportInvalidError({ committed: false, ...report });
          await repo.insertFiles(
            tx,
            files.map((f) => ({ ...f, firmId: actor.firmId })),
          );
          await recordAudit(tx, origin, {
            action: 'file.imported',
            targetType: 'firm',
            targetId: actor.firmId,
            details: { count: files.length, encoding: report.encoding, separator: report.separator },
          });
          return { committed: true, ...report } satisfies ImportReport;
        });
      } catch (err) {
        if (repo.isCodeConflict(err)) throw codeTakenError();
        throw err;
      }
    },
  };
}
