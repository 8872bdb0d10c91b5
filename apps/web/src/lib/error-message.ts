import type { TFunction } from 'i18next';
import { fr, type Messages } from '../i18n/fr';
import { ApiError } from './api';

type TranslatedCode = keyof Messages['errors'];

function isTranslatedCode(code: string): code is TranslatedCode {
  return Object.hasOwn(fr.errors, code);
}

/** The text in the person's language, chosen by the error's code (never the server's wording). */
export function errorMessage(t: TFunction, error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  return t(`errors.${isTranslatedCode(code) ? code : 'INTERNAL'}`);
}
