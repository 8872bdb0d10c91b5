import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a new password of the embedded directory must be (NIST SP 800-63B style): long enough,
 * not a common one, not built on the person's e-mail. No composition rules: they make
 * passwords harder to remember, not to guess.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'mismatch';

export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Le mot de passe doit comporter au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  too_long: `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
  common: 'Ce mot de passe est trop courant\u00a0: choisissez-en un plus difficile à deviner.',
  contains_email: 'Le mot de passe ne doit pas contenir votre adresse e-mail.',
  mismatch: 'Les deux mots de passe ne correspondent pas.',
};

const listFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'common-passwords.txt');
let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(listFile, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The forms of a password that are looked up in the list. */
function variants(password: string): string[] {
  const folded = fold(password);
  const unleet = folded.replace(/[013457@$]/g, (c) => LEET[c] ?? c);
  // Without separators: "mot de passe", "mot-de-passe".
  const squeeze = (value: string) => value.replace(/[\s._-]+/g, '');
  // "Motdepasse2026!" or "!!azerty": the word with digits and symbols stuck on either end.
  const core = (value: string) => value.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const forms = [folded, unleet, squeeze(folded), squeeze(unleet)];
  return [...new Set([...forms, ...forms.map(core)])].filter((v) => v !== '');
}

function isCommon(password: string): boolean {
  const list = commonPasswords();
  if (variants(password).some((v) => list.has(v))) return true;
  // One short pattern repeated: "aaaaaaaaaaaa", "abcabcabcabc", "123412341234".
  return /^(.{1,4})\1+$/su.test(fold(password));
}

function containsEmail(password: string, email: string): boolean {
  const local = fold(email.split('@')[0] ?? '');
  if (local.length < 3) return false;
  const folded = fold(password);
  const squeezed = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, '');
  return (
    folded.includes(local) || (squeezed(local).length >= 3 && squeezed(folded).includes(squeezed(local)))
  );
}

/** The problems of a new password, most important first; empty when it may be used. */
export function checkNewPassword(input: { password: string; confirmation: string; email: string }) {
  const problems: PasswordProblem[] = [];
  const length = [...input.password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  else if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  else if (containsEmail(input.password, input.email)) problems.push('contains_email');
  else if (isCommon(input.password)) problems.push('common');
  if (input.password !== input.confirmation) problems.push('mismatch');
  return problems;
}
