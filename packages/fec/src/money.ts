/** Helpers for integer cents: exact formatting, and the one place where cents become euros. */
import type { Cents } from './types.ts';

/**
 * Euros as a JSON number. Dividing an exact integer by 100 gives the double nearest to the
 * decimal amount, which prints with at most two decimals (16529793 -> 165297.93). Only for
 * output: sums are always made in cents.
 */
export function centsToEuros(cents: Cents): number {
  return cents / 100;
}

/** French grouping of an integer: 65536 -> "65 536". */
export function formatIntegerFr(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** French notation, exact: 16529793 -> "165 297,93". */
export function formatCentsFr(cents: Cents): string {
  const negative = cents < 0;
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const euros = formatIntegerFr(Number(digits.slice(0, -2)));
  return `${negative ? '-' : ''}${euros},${digits.slice(-2)}`;
}
