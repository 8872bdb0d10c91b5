/**
 * Movements per journal, account and month, accumulated while reading.
 *
 * The journal is part of the key while reading because which journals are opening journals is
 * only known at the end of the file (shape detection needs every line). At the end, journals fold
 * into the stored shape: one row per account, month and opening flag. Memory is bounded by the
 * number of (journal, account, month) triples — a few thousand for a real ledger — not by the
 * number of lines; `maxAccounts` guards against a hostile file with millions of accounts.
 */
import type { AccountMonthAggregate, Cents } from './types.ts';

interface Movement {
  debitCents: Cents;
  creditCents: Cents;
}

/** month key = YYYYMM as an integer */
type MonthlyMovements = Map<number, Movement>;

export class MovementAccumulator {
  private readonly byJournal = new Map<string, Map<string, MonthlyMovements>>();
  private accountEntries = 0;
  // The previous line's journal and account are the next line's most of the time.
  private lastJournal = '';
  private lastJournalAccounts: Map<string, MonthlyMovements> | undefined;
  private lastAccount = '';
  private lastAccountMonths: MonthlyMovements | undefined;

  constructor(private readonly maxAccounts: number) {}

  /** Adds a line. Returns false when the account limit is reached (the line is not added). */
  add(journal: string, account: string, month: number, debitCents: Cents, creditCents: Cents): boolean {
    let accounts = this.lastJournalAccounts;
    if (accounts === undefined || journal !== this.lastJournal) {
      accounts = this.byJournal.get(journal);
      if (accounts === undefined) {
        accounts = new Map();
        this.byJournal.set(journal, accounts);
      }
      this.lastJournal = journal;
      this.lastJournalAccounts = accounts;
      this.lastAccountMonths = undefined;
    }
    let months = this.lastAccountMonths;
    if (months === undefined || account !== this.lastAccount) {
      months = accounts.get(account);
      if (months === undefined) {
        if (this.accountEntries >= this.maxAccounts) return false;
        this.accountEntries++;
        months = new Map();
        accounts.set(account, months);
      }
      this.lastAccount = account;
      this.lastAccountMonths = months;
    }
    const movement = months.get(month);
    if (movement === undefined) months.set(month, { debitCents, creditCents });
    else {
      movement.debitCents += debitCents;
      movement.creditCents += creditCents;
    }
    return true;
  }

  /** Rows of the stored shape, sorted by account, month, opening flag. */
  toRows(isOpeningJournal: (journal: string) => boolean): AccountMonthAggregate[] {
    const rows = new Map<string, AccountMonthAggregate>();
    for (const [journal, accounts] of this.byJournal) {
      const opening = isOpeningJournal(journal);
      for (const [account, months] of accounts) {
        for (const [month, movement] of months) {
          const isoMonth = `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;
          const key = `${account}\u0000${isoMonth}\u0000${opening}`;
          const row = rows.get(key);
          if (row === undefined) {
            rows.set(key, { account, month: isoMonth, opening, ...movement });
          } else {
            row.debitCents += movement.debitCents;
            row.creditCents += movement.creditCents;
          }
        }
      }
    }
    return [...rows.values()].sort(compareRows);
  }
}

function compareRows(a: AccountMonthAggregate, b: AccountMonthAggregate): number {
  if (a.account !== b.account) return a.account < b.account ? -1 : 1;
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  return Number(a.opening) - Number(b.opening);
}
