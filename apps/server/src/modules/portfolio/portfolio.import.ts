import type { ImportReport } from '@passerelle/contracts/collaboration';
import {
  CsvSyntaxError,
  CsvTooManyRecordsError,
  decodeCsv,
  detectSeparator,
  parseCsv,
} from './portfolio.csv.ts';
import {
  FILE_LIMITS,
  isValidSiren,
  normalizeHeader,
  normalizeSiren,
  parseFrenchDate,
} from './portfolio.rules.ts';

/**
 * The CSV import of client files, without the database: read the file, map the French
 * column names, check every line and say what is wrong in French. The service supplies
 * what only the database knows (codes already taken, the firm's staff).
 */

export const IMPORT_MAX_LINES = 20_000;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export const importFields = ['code', 'name', 'siren', 'legalForm', 'fiscalYearEnd', 'responsible'] as const;
export type ImportField = (typeof importFields)[number];

/** The column names a person reads in the template and in messages. */
export const importColumnLabels: Record<ImportField, string> = {
  code: 'Code',
  name: 'Raison sociale',
  siren: 'SIREN',
  legalForm: 'Forme juridique',
  fiscalYearEnd: 'Date de clôture',
  responsible: 'Responsable',
};

// Compared after normalizeHeader (no case, accents or punctuation).
const headerAliases: Record<ImportField, string[]> = {
  code: ['code', 'code dossier', 'code client'],
  name: ['raison sociale', 'denomination', 'nom'],
  siren: ['siren', 'n siren', 'numero siren'],
  legalForm: ['forme juridique', 'forme'],
  fiscalYearEnd: ['date de cloture', 'date cloture', 'cloture', 'date de fin d exercice', 'fin d exercice'],
  responsible: [
    'responsable',
    'e mail du responsable',
    'email du responsable',
    'e mail responsable',
    'email responsable',
  ],
};
const fieldOfHeader = new Map<string, ImportField>(
  importFields.flatMap((field) => headerAliases[field].map((alias) => [alias, field] as const)),
);

/** A problem with the file as a whole (no line can be read): nothing to report line by line. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface ImportRow {
  line: number;
  values: Record<ImportField, string>;
}

export interface ImportFile {
  encoding: string;
  separator: string;
  rows: ImportRow[];
}

export function readImportFile(bytes: Uint8Array): ImportFile {
  const { text, encoding } = decodeCsv(bytes);
  const separator = detectSeparator(text);
  let records: ReturnType<typeof parseCsv>;
  try {
    // The header plus IMPORT_MAX_LINES lines.
    records = parseCsv(text, separator, IMPORT_MAX_LINES + 1);
  } catch (err) {
    if (err instanceof CsvTooManyRecordsError) {
      throw new ImportFileError(
        `Le fichier dépasse ${IMPORT_MAX_LINES.toLocaleString('fr-FR')} lignes : découpez-le en plusieurs fichiers.`,
      );
    }
    if (err instanceof CsvSyntaxError) throw new ImportFileError(err.message);
    throw err;
  }
  const [header, ...lines] = records;
  if (!header) throw new ImportFileError('Le fichier est vide.');

  const columns = new Map<ImportField, number>();
  header.fields.forEach((name, index) => {
    const field = fieldOfHeader.get(normalizeHeader(name));
    if (!field) return;
    if (columns.has(field)) {
      throw new ImportFileError(`La colonne « ${importColumnLabels[field]} » apparaît deux fois.`);
    }
    columns.set(field, index);
  });
  const missing = (['code', 'name'] as const).filter((field) => !columns.has(field));
  if (missing.length > 0) {
    throw new ImportFileError(
      `Colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ${missing.map((f) => importColumnLabels[f]).join(', ')}. ` +
        `La première ligne doit nommer les colonnes : ${importFields.map((f) => importColumnLabels[f]).join(' ; ')}.`,
    );
  }
  if (lines.length === 0) throw new ImportFileError('Le fichier ne contient aucune ligne de dossier.');

  return {
    encoding,
    separator,
    rows: lines.map((record) => {
      const values = {} as Record<ImportField, string>;
      for (const field of importFields) {
        const index = columns.get(field);
        values[field] = index === undefined ? '' : (record.fields[index] ?? '').trim();
      }
      return { line: record.line, values };
    }),
  };
}

export interface ImportLookups {
  /** Lower-cased codes already used in the firm. */
  existingCodes: ReadonlySet<string>;
  /** Lower-cased e-mail → id of an active staff member of the firm. */
  staffByEmail: ReadonlyMap<string, string>;
  /** A collaborator who only sees their own files may only import files they are responsible for. */
  onlyResponsibleId?: string;
}

export interface ImportedFile {
  code: string;
  name: string;
  siren: string | null;
  legalForm: string | null;
  fiscalYearEnd: string | null;
  responsibleId: string | null;
}

export function checkImportRows(
  file: ImportFile,
  lookups: ImportLookups,
): { report: Omit<ImportReport, 'committed'>; files: ImportedFile[] } {
  const firstLineOfCode = new Map<string, number>();
  const files: ImportedFile[] = [];
  const lines = file.rows.map(({ line, values }) => {
    const errors: { field: string; message: string }[] = [];
    const fail = (field: ImportField, message: string) => errors.push({ field, message });

    const code = values.code;
    if (code === '') fail('code', 'Le code est obligatoire.');
    else if (code.length > FILE_LIMITS.code) fail('code', `Le code dépasse ${FILE_LIMITS.code} caractères.`);
    else {
      const key = code.toLowerCase();
      const first = firstLineOfCode.get(key);
      if (first !== undefined) fail('code', `Ce code figure déjà ligne ${first} du fichier.`);
      else {
        firstLineOfCode.set(key, line);
        if (lookups.existingCodes.has(key)) fail('code', 'Un dossier du cabinet porte déjà ce code.');
      }
    }

    const name = values.name;
    if (name === '') fail('name', 'La raison sociale est obligatoire.');
    else if (name.length > FILE_LIMITS.name) {
      fail('name', `La raison sociale dépasse ${FILE_LIMITS.name} caractères.`);
    }

    const siren = normalizeSiren(values.siren);
    if (siren !== '' && !isValidSiren(siren)) {
      fail('siren', 'SIREN invalide : 9 chiffres attendus, avec une clé de contrôle valide.');
    }

    const legalForm = values.legalForm;
    if (legalForm.length > FILE_LIMITS.legalForm) {
      fail('legalForm', `La forme juridique dépasse ${FILE_LIMITS.legalForm} caractères.`);
    }

    let fiscalYearEnd: string | null = null;
    if (values.fiscalYearEnd !== '') {
      fiscalYearEnd = parseFrenchDate(values.fiscalYearEnd);
      if (!fiscalYearEnd) {
        fail('fiscalYearEnd', 'Date de clôture invalide : écrivez JJ/MM/AAAA ou AAAA-MM-JJ.');
      }
    }

    let responsibleId: string | null = lookups.onlyResponsibleId ?? null;
    if (values.responsible !== '') {
      const found = lookups.staffByEmail.get(values.responsible.toLowerCase());
      if (!found)
        fail('responsible', 'Responsable inconnu : aucun collaborateur actif du cabinet avec cet e-mail.');
      else if (lookups.onlyResponsibleId && found !== lookups.onlyResponsibleId) {
        fail('responsible', 'Vous ne pouvez importer que des dossiers dont vous êtes responsable.');
      } else responsibleId = found;
    }

    if (errors.length === 0) {
      files.push({
        code,
        name,
        siren: siren || null,
        legalForm: legalForm || null,
        fiscalYearEnd,
        responsibleId,
      });
    }
    return { line, values: { ...values }, errors };
  });

  return {
    report: {
      encoding: file.encoding,
      separator: file.separator,
      total: lines.length,
      valid: files.length,
      lines,
    },
    files,
  };
}
