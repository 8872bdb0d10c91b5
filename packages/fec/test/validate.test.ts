import { describe, expect, it } from 'vitest';
import { EntryBalanceTracker, IssueCollector } from '../src/validate.ts';

describe('EntryBalanceTracker', () => {
  it('nets runs of an entry wherever its lines are, and forgets balanced runs', () => {
    const tracker = new EntryBalanceTracker(10);
    tracker.add('VE', '1', 2, 100);
    tracker.add('VE', '2', 3, 50);
    tracker.add('VE', '1', 4, -100); // entry 1 closes across runs
    tracker.add('VE', '2', 5, -40); // entry 2 stays 10 short
    tracker.add('AC', '2', 6, 7); // same number, other journal: another entry
    tracker.add('AC', '2', 7, -7);
    expect(tracker.finish(100)).toEqual({
      count: 1,
      first: [{ journal: 'VE', entryNumber: '2', firstLine: 3, differenceCents: 10 }],
    });
    expect(tracker.complete).toBe(true);
  });

  it('counts every unbalanced entry but details only the first ones, in line order', () => {
    const tracker = new EntryBalanceTracker(10_000);
    for (let i = 0; i < 3_000; i++) tracker.add('OD', String(i), i + 2, 1);
    const result = tracker.finish(3);
    expect(result.count).toBe(3_000);
    expect(result.first.map((entry) => entry.firstLine)).toEqual([2, 3, 4]);
  });

  it('says the check is incomplete once too many entries are open', () => {
    const tracker = new EntryBalanceTracker(2);
    for (let i = 0; i < 5; i++) tracker.add('VE', String(i), i + 2, 1);
    expect(tracker.finish(10).count).toBe(2);
    expect(tracker.complete).toBe(false);
  });
});

describe('IssueCollector', () => {
  it('keeps exact counts, capped samples, and decodes values at the end', () => {
    const issues = new IssueCollector(2);
    const bytes = Buffer.from('x\xe9y', 'latin1');
    for (let line = 2; line < 7; line++)
      issues.add('INVALID_AMOUNT', line, 'Debit', { bytes, start: 0, end: 3 });
    issues.addCount('INVALID_AMOUNT', 10);
    issues.add('EMPTY_FIELD', 3, 'PieceRef');
    expect(issues.count('error')).toBe(15);
    expect(issues.count('warning')).toBe(1);
    const groups = issues.toGroups(
      (raw) => raw.toString('latin1'),
      (issue) => `${issue.column} ${issue.value}`,
    );
    expect(groups.map((group) => [group.code, group.count, group.issues.length])).toEqual([
      ['INVALID_AMOUNT', 15, 2],
      ['EMPTY_FIELD', 1, 1],
    ]);
    expect(groups[0]?.issues[0]).toEqual({
      code: 'INVALID_AMOUNT',
      severity: 'error',
      line: 2,
      column: 'Debit',
      value: 'xéy',
      message: 'Debit xéy',
    });
  });
});
