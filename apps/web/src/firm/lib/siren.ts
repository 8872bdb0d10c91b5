/** Spaces and dots people type or paste ("123 456 789") removed. */
export function normalizeSiren(value: string): string {
  return value.replace(/[\s.]/g, '');
}

/** Nine digits whose Luhn sum is a multiple of ten: the check INSEE puts in every SIREN. */
export function isValidSiren(value: string): boolean {
  const siren = normalizeSiren(value);
  if (!/^\d{9}$/.test(siren)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(siren[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
