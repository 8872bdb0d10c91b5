import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  computeIndicators,
  formatCentsFr,
  formatIndicatorsFr,
  formatReportFr,
  readFec,
} from '../src/index.ts';
import { CLEAN_FORMAT, chunked, fecText, simpleLines } from './support/fec-builder.ts';
import { realFec } from './support/paths.ts';

describe('formatCentsFr', () => {
  it.each([
    [0, '0,00'],
    [5, '0,05'],
    [-5, '-0,05'],
    [16_529_793, '165 297,93'],
    [-100_000_000, '-1 000 000,00'],
  ])('writes %d cents as %s', (cents, text) => {
    expect(formatCentsFr(cents)).toBe(text);
  });
});

describe('formatReportFr', () => {
  it('gives the verdict, the detected format, the journal totals and the warnings', async () => {
    const { report } = await readFec(createReadStream(realFec('000000000FEC20231231.txt')));
    const text = formatReportFr(report, { fileName: '000000000FEC20231231.txt' });
    expect(text).toContain('Contrôle du fichier des écritures comptables : 000000000FEC20231231.txt');
    expect(text).toContain('Résultat : FICHIER ACCEPTÉ (2 102 avertissements)');
    expect(text).toContain('Encodage            UTF-8');
    expect(text).toContain('Séparateur          tabulation');
    expect(text).toContain('22 (variante BNC/BA en trésorerie), montants en Debit + Credit');
    expect(text).toContain("Lignes d'écriture : 2 102");
    expect(text).toContain('Période des écritures : du 01/01/2021 au 30/06/2023');
    expect(text).toMatch(/AD\s+A Nouveaux Détaillés\s+456\s+451 847,37\s+451 847,37\s+à-nouveaux \(code\)/);
    expect(text).toMatch(/Total\s+2 102\s+1 265 350,82\s+1 265 350,82/);
    expect(text).toContain('Équilibre : total des débits = total des crédits.');
    expect(text).toContain('Champ obligatoire vide (2 102)');
    // Ten examples per kind in the text, then a count of the rest.
    expect(text).toContain('    ligne 11 : ValidDate est vide.');
    expect(text).not.toContain('    ligne 12 : ValidDate est vide.');
    expect(text).toContain('… et 2 092 autre(s) du même type');
  });

  it('says REFUSED with the blocking errors first', async () => {
    const broken = fecText(simpleLines(), CLEAN_FORMAT).replace('\t120,00\t', '\t130,00\t');
    const { report } = await readFec(chunked(Buffer.from(broken)));
    const text = formatReportFr(report);
    expect(text).toContain('Résultat : FICHIER REFUSÉ (2 erreurs bloquantes, 0 avertissement)');
    expect(text.indexOf('Erreurs bloquantes')).toBeGreaterThan(0);
    expect(text).toContain(
      "ligne 2 : L'écriture 1 du journal VE n'est pas équilibrée (débit − crédit = 10,00 €).",
    );
    expect(text).toContain('Déséquilibre : débits − crédits = 10,00 €.');
  });
});

describe('formatIndicatorsFr', () => {
  it('lists the key figures and the monthly series in euros', async () => {
    const { aggregates } = await readFec(chunked(Buffer.from(fecText(simpleLines(), CLEAN_FORMAT))));
    const text = formatIndicatorsFr(computeIndicators(aggregates));
    expect(text).toMatch(/Chiffre d'affaires net\s+100,00/);
    expect(text).toMatch(/Créances clients\s+120,00/);
    expect(text).toMatch(/2023-01\s+100,00\s+100,00\s+0,00\s+0,00/);
  });
});
