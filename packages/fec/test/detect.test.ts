import { describe, expect, it } from 'vitest';
import { detectHeader, normalizeColumnName } from '../src/detect.ts';
import { CLEAN_FORMAT, columnsOf } from './support/fec-builder.ts';

const header = (names: string[], separator = '\t') => Buffer.from(names.join(separator), 'utf8');
const STANDARD = columnsOf(CLEAN_FORMAT);

describe('detectHeader', () => {
  it.each(['\t', '|', ';', ','])('finds the %j separator and every column', (separator) => {
    const detection = detectHeader(header(STANDARD, separator), 100);
    expect(detection.ok).toBe(true);
    if (!detection.ok) return;
    expect(detection.layout.separator).toBe(separator);
    expect(detection.layout.positions.JournalCode).toBe(0);
    expect(detection.layout.positions.Credit).toBe(12);
    expect(detection.layout.amountLayout).toBe('debit-credit');
    expect(detection.layout.variant).toBe('standard');
  });

  it('matches names whatever their case, spacing or accents', () => {
    expect(normalizeColumnName(' Montant devise ')).toBe(normalizeColumnName('MontantDevise'));
    expect(normalizeColumnName('ÉcritureDate')).toBe('ecrituredate');
    const detection = detectHeader(header(STANDARD.map((name) => name.toUpperCase())), 100);
    expect(detection.ok).toBe(true);
  });

  it('reads the Montant + Sens layout and the 22-column cash-basis variant', () => {
    const columns = columnsOf({ ...CLEAN_FORMAT, amountLayout: 'amount-direction', cashBasis: true });
    const detection = detectHeader(header(columns, '|'), 100);
    expect(detection.ok && detection.layout.amountLayout).toBe('amount-direction');
    expect(detection.ok && detection.layout.variant).toBe('cash-basis');
    expect(detection.ok && detection.layout.columns).toHaveLength(22);
  });

  it('drops a trailing separator and lists extra columns', () => {
    const detection = detectHeader(header([...STANDARD, 'CodeEtablissement', '']), 100);
    expect(detection.ok).toBe(true);
    if (!detection.ok) return;
    expect(detection.layout.trailingSeparator).toBe(true);
    expect(detection.layout.columns).toHaveLength(19);
    expect(detection.layout.extraColumns).toEqual(['CodeEtablissement']);
  });

  it('names each missing mandatory column', () => {
    const detection = detectHeader(
      header(STANDARD.filter((name) => name !== 'EcritureDate' && name !== 'Credit')),
      100,
    );
    expect(detection.ok).toBe(false);
    if (detection.ok) return;
    expect(detection.problems).toEqual([
      { kind: 'missing-column', column: 'EcritureDate' },
      { kind: 'missing-column', column: 'Credit' },
    ]);
  });

  it('refuses duplicate columns, too many columns, and a line that is no header', () => {
    const duplicate = detectHeader(header([...STANDARD, 'compteNum']), 100);
    expect(duplicate.ok || duplicate.problems).toEqual([{ kind: 'duplicate-column', column: 'CompteNum' }]);
    const wide = detectHeader(
      header([...STANDARD, ...Array.from({ length: 9_982 }, (_, i) => `X${i}`)]),
      100,
    );
    expect(wide.ok || wide.problems).toEqual([{ kind: 'too-many-columns', count: 10_000, max: 100 }]);
    const data = detectHeader(Buffer.from('VE\tVentes\t1\t20230101\t411000'), 100);
    expect(data.ok || data.problems[0]?.kind).toBe('not-recognized');
  });
});
