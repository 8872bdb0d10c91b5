import { describe, expect, it } from 'vitest';
import { classifyOpeningJournals, type JournalFacts } from '../src/opening-journals.ts';

const journal = (facts: Partial<JournalFacts> & { code: string }): JournalFacts => ({
  label: '',
  lineCount: 10,
  firstDate: 20230101,
  lastDate: 20231231,
  touchesProfitAndLoss: false,
  touchesEquity: true,
  ...facts,
});

const reasons = (
  journals: JournalFacts[],
  fiscalYearStart: number | null = null,
  openingCodes: string[] = [],
) =>
  Object.fromEntries(
    [...classifyOpeningJournals(journals, { fiscalYearStart, openingCodes })].map(([code, result]) => [
      code,
      result.reason,
    ]),
  );

const sales = journal({ code: 'VE', label: 'Ventes', firstDate: 20230103, touchesProfitAndLoss: true });

describe('classifyOpeningJournals', () => {
  it('recognises the usual opening codes, in any case', () => {
    const codes = ['ANO', 'an', 'RAN', 'AD', 'A.N.'];
    const result = reasons([...codes.map((code) => journal({ code })), sales]);
    expect(result).toEqual({ ANO: 'code', an: 'code', RAN: 'code', AD: 'code', 'A.N.': 'code', VE: null });
  });

  it('recognises opening labels', () => {
    const result = reasons([
      journal({ code: 'J1', label: 'A nouveaux' }),
      journal({ code: 'J2', label: 'À-nouveaux' }),
      journal({ code: 'J3', label: 'Report à nouveau' }),
      journal({ code: 'J4', label: "Journal d'ouverture" }),
      journal({ code: 'J5', label: 'Nouveaux clients' }),
      sales,
    ]);
    expect(result).toEqual({ J1: 'label', J2: 'label', J3: 'label', J4: 'label', J5: null, VE: null });
  });

  it('recognises the shape: one date on the first day, balance-sheet accounts only', () => {
    const opening = journal({ code: 'XX', firstDate: 20230101, lastDate: 20230101 });
    expect(reasons([opening, sales])).toEqual({ XX: 'shape', VE: null });
    // Not on a first day of a month, after other entries, a single line, or alone: not opening.
    expect(reasons([journal({ code: 'XX', firstDate: 20230102, lastDate: 20230102 }), sales]).XX).toBeNull();
    expect(reasons([journal({ code: 'XX', firstDate: 20230201, lastDate: 20230201 }), sales]).XX).toBeNull();
    expect(
      reasons([journal({ code: 'XX', firstDate: 20230101, lastDate: 20230101, lineCount: 1 }), sales]).XX,
    ).toBeNull();
    expect(reasons([opening]).XX).toBeNull();
  });

  it('does not take a first-day payment for an opening balance: no equity account', () => {
    const payment = journal({ code: 'BQ2', firstDate: 20230101, lastDate: 20230101, touchesEquity: false });
    expect(reasons([payment, sales]).BQ2).toBeNull();
    expect(reasons([payment, sales], 20230101).BQ2).toBeNull();
  });

  it('uses the fiscal year start when known: all lines on or before it', () => {
    const carried = journal({ code: 'ZZ', firstDate: 20210315, lastDate: 20230101 });
    expect(reasons([carried, sales], 20230101).ZZ).toBe('shape');
    expect(reasons([carried, sales], 20221201).ZZ).toBeNull();
  });

  it('never takes a journal with income or expense accounts, and says why', () => {
    const purchases = journal({ code: 'AD', label: 'Achats divers', touchesProfitAndLoss: true });
    const result = classifyOpeningJournals([purchases, sales], { fiscalYearStart: null });
    expect(result.get('AD')).toEqual({ reason: null, rejectedForProfitAndLoss: true });
    expect(result.get('VE')).toEqual({ reason: null, rejectedForProfitAndLoss: false });
  });

  it('takes codes given by the caller', () => {
    expect(reasons([journal({ code: 'BIL' }), sales], null, ['bil']).BIL).toBe('code');
  });
});
