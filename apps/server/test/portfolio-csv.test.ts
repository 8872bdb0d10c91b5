import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sirenFromPrefix } from '../src/demo/demo-seed.ts';
import {
  CsvSyntaxError,
  CsvTooManyRecordsError,
  decodeCsv,
  detectSeparator,
  parseCsv,
} from '../src/modules/portfolio/portfolio.csv.ts';
import {
  checkImportRows,
  ImportFileError,
  readImportFile,
} from '../src/modules/portfolio/portfolio.import.ts';
import { foldForSearch, isValidSiren, parseFrenchDate } from '../src/modules/portfolio/portfolio.rules.ts';

/**
 * Encodes text as Windows-1252 (what Excel's "CSV" writes on a French Windows). Written out,
 * not derived from TextDecoder, which Node 20 gets wrong for 0x80–0x9F.
 */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c, '…': 0x85, Ÿ: 0x9f };
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0) ?? 0x3f;
      return extra[ch] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : 0x3f);
    }),
  );
}

const fields = (text: string, separator = ';') => parseCsv(text, separator).map((r) => r.fields);

describe('decodeCsv', () => {
  it('reads UTF-8, with or without BOM', () => {
    const text = "Société Générale d'Électricité";
    expect(decodeCsv(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeCsv(withBom)).toEqual({ text, encoding: 'utf-8' });
  });

  it('falls back to Windows-1252, including its own letters (’, €, œ)', () => {
    const text = 'Société d’Électricité Cœur 5 € … Ÿ ÿ';
    expect(decodeCsv(windows1252(text))).toEqual({ text, encoding: 'windows-1252' });
  });

  it('reads UTF-16 with its BOM (Excel "Texte Unicode")', () => {
    const text = 'Code\tRaison sociale\nA\tÉlectricité';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(bytes)).toEqual({ text, encoding: 'utf-16le' });
  });
});

describe('parseCsv', () => {
  it('splits records on CRLF, LF and CR and skips blank lines', () => {
    expect(fields('a;b\r\nc;d\n\ne;f\rg;h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('keeps separators, doubled quotes and line breaks inside quoted fields', () => {
    const records = parseCsv('code;name\n"A;1";"Le ""Petit"" Zinc"\n"B";"ligne 1\r\nligne 2"\nC;fin\n', ';');
    expect(records).toEqual([
      { line: 1, fields: ['code', 'name'] },
      { line: 2, fields: ['A;1', 'Le "Petit" Zinc'] },
      { line: 3, fields: ['B', 'ligne 1\r\nligne 2'] },
      { line: 5, fields: ['C', 'fin'] },
    ]);
  });

  it('skips lines of empty fields as spreadsheets write them', () => {
    expect(fields('a;b\n;;\n"";\nc;d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps an empty last field and a quote inside an unquoted field', () => {
    expect(fields('a;\nd"x;y')).toEqual([
      ['a', ''],
      ['d"x', 'y'],
    ]);
  });

  it('refuses a quote left open, naming its line', () => {
    expect(() => parseCsv('a;b\nc;"open\nmore', ';')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a;b\nc;"open\nmore', ';');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });

  it('stops past the maximum number of records', () => {
    expect(() => parseCsv('a\nb\nc\n', ';', 2)).toThrow(CsvTooManyRecordsError);
    expect(parseCsv('a\nb\n', ';', 2)).toHaveLength(2);
  });

  it('reads back whatever an RFC 4180 writer wrote', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'É', ' ', ';', ',', '"', '\n', '\r\n', 'x') });
    // A record made only of blank fields is skipped by design: keep one letter in each.
    const record = fc.array(field, { minLength: 1, maxLength: 5 }).map((r) => [...r, 'z']);
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(';', ','),
        (records, sep) => {
          const quote = (f: string) => (/[;,"\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
          const text = records.map((r) => r.map(quote).join(sep)).join('\r\n');
          expect(fields(text, sep)).toEqual(records);
        },
      ),
    );
  });
});

describe('detectSeparator', () => {
  it('reads it from the header line, ignoring quoted text and later lines', () => {
    expect(detectSeparator('Code;Raison sociale;SIREN\n"a,b,c";x;y')).toBe(';');
    expect(detectSeparator('Code,"Raison; sociale",SIREN\na;b;c;d;e')).toBe(',');
    expect(detectSeparator('Code\tRaison sociale\n')).toBe('\t');
    expect(detectSeparator('Code\n')).toBe(';');
  });
});

describe('rules', () => {
  it('checks the SIREN Luhn key', () => {
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren('73282932')).toBe(false);
    expect(isValidSiren('7328293200')).toBe(false);
    expect(isValidSiren('73282932a')).toBe(false);
    expect(isValidSiren('356000000')).toBe(true); // La Poste, the known exception
    for (const prefix of ['81234560', '00000001', '99999999'])
      expect(isValidSiren(sirenFromPrefix(prefix))).toBe(true);
  });

  it('reads dates as JJ/MM/AAAA or AAAA-MM-JJ, real days only', () => {
    expect(parseFrenchDate('31/12/2026')).toBe('2026-12-31');
    expect(parseFrenchDate('1/6/2026')).toBe('2026-06-01');
    expect(parseFrenchDate('2026-06-30')).toBe('2026-06-30');
    expect(parseFrenchDate('29/02/2028')).toBe('2028-02-29');
    for (const bad of [
      '31/02/2026',
      '29/02/2026',
      '2026-13-01',
      '12/31/2026',
      '31-12-2026',
      '2026/12/31',
      'demain',
      '',
    ]) {
      expect(parseFrenchDate(bad), bad).toBeNull();
    }
  });

  it('folds accents and case for search', () => {
    expect(foldForSearch('Société Générale d’Électricité')).toBe("societe generale d'electricite");
    expect(foldForSearch('CŒUR Ÿ Ñ Ç')).toBe('coeur y n c');
  });
});

describe('readImportFile and checkImportRows', () => {
  const read = (text: string) => readImportFile(Buffer.from(text, 'utf8'));

  it('maps French headers whatever their case, accents and order, ignoring unknown columns', () => {
    const file = read(
      'RAISON SOCIALE;Notes;code;Date de Cloture;e-mail du responsable\nBoulangerie;x;B1;31/12/2026;a@b.fr',
    );
    expect(file.rows).toEqual([
      {
        line: 2,
        values: {
          code: 'B1',
          name: 'Boulangerie',
          siren: '',
          legalForm: '',
          fiscalYearEnd: '31/12/2026',
          responsible: 'a@b.fr',
        },
      },
    ]);
  });

  it('refuses a file without the required columns, or empty', () => {
    expect(() => read('Nom du client;SIREN\nx;y')).toThrow(
      /Colonnes obligatoires absentes : Code, Raison sociale/,
    );
    expect(() => read('Code;Code dossier;Raison sociale\n')).toThrow(/« Code » apparaît deux fois/);
    expect(() => read('')).toThrow(ImportFileError);
    expect(() => read('Code;Raison sociale\n')).toThrow(/aucune ligne/);
  });

  it('reports every problem of every line in French', () => {
    const file = read(
      [
        'Code;Raison sociale;SIREN;Date de clôture;Responsable',
        'A1;Alpha;732 829 320;31/12/2026;Chef@Cabinet.test',
        ';;732829321;31/02/2026;inconnu@cabinet.test',
        'a1;Alpha bis;;;',
        'OLD;Existant;;;',
      ].join('\n'),
    );
    const { report, files } = checkImportRows(file, {
      existingCodes: new Set(['old']),
      staffByEmail: new Map([['chef@cabinet.test', 'staff-1']]),
    });
    expect(report.total).toBe(4);
    expect(report.valid).toBe(1);
    expect(files).toEqual([
      {
        code: 'A1',
        name: 'Alpha',
        siren: '732829320',
        legalForm: null,
        fiscalYearEnd: '2026-12-31',
        responsibleId: 'staff-1',
      },
    ]);
    expect(report.lines.map((l) => [l.line, l.errors.map((e) => e.field)])).toEqual([
      [2, []],
      [3, ['code', 'name', 'siren', 'fiscalYearEnd', 'responsible']],
      [4, ['code']],
      [5, ['code']],
    ]);
    expect(report.lines[2]?.errors[0]?.message).toBe('Ce code figure déjà ligne 2 du fichier.');
    expect(report.lines[3]?.errors[0]?.message).toBe('Un dossier du cabinet porte déjà ce code.');
    expect(report.lines[1]?.errors.map((e) => e.message)).toEqual([
      'Le code est obligatoire.',
      'La raison sociale est obligatoire.',
      'SIREN invalide : 9 chiffres attendus, avec une clé de contrôle valide.',
      'Date de clôture invalide : écrivez JJ/MM/AAAA ou AAAA-MM-JJ.',
      'Responsable inconnu : aucun collaborateur actif du cabinet avec cet e-mail.',
    ]);
  });
});
