import type { TFunction } from 'i18next';
import { ApiError } from '../../lib/api';
import { errorMessage } from '../../lib/error-message';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export interface FormErrors<K extends string> {
  /** Shown next to the field the server named (aria-describedby). */
  fields: FieldErrors<K>;
  /** Shown at the top of the form; null when nothing is left to say. */
  form: string | null;
}

/** Text for one refused field, from the codes only: the server's own wording is never shown. */
function fieldMessage(t: TFunction, errorCode: string, issueCode: string, field: string): string {
  switch (errorCode) {
    case 'EMAIL_TAKEN':
    case 'ROLE_RETIRED':
    case 'FILE_CODE_TAKEN':
    case 'ROLE_NAME_TAKEN':
      return t(`errors.${errorCode}`);
    case 'SIREN_INVALID':
      return t('firm.form.sirenInvalid');
    case 'FORBIDDEN':
      return t('errors.FORBIDDEN');
  }
  switch (issueCode) {
    case 'too_small':
      return t('firm.form.required');
    case 'too_big':
      return t('firm.form.tooLong');
    case 'invalid_format':
      if (field === 'email') return t('firm.form.invalidEmail');
      if (field === 'phone') return t('firm.form.invalidPhone');
      return t('firm.form.invalidFormat');
    default:
      return t('firm.form.invalidValue');
  }
}

/**
 * Splits a refusal between the fields of the form (a message next to each) and the form as a
 * whole. A field the form does not show is reported at the top, so nothing is silently lost.
 */
export function formErrorsFrom<K extends string>(
  t: TFunction,
  error: unknown,
  fields: readonly K[],
): FormErrors<K> {
  const result: FieldErrors<K> = {};
  let unplaced = false;
  if (error instanceof ApiError) {
    for (const issue of error.fields) {
      const key = issue.path.split('.')[0] as K;
      if (!fields.includes(key)) {
        unplaced = true;
        continue;
      }
      result[key] ??= fieldMessage(t, error.code, issue.code, key);
    }
  }
  const placed = Object.keys(result).length > 0;
  return { fields: result, form: placed && !unplaced ? t('firm.form.checkFields') : errorMessage(t, error) };
}

/** The id of the first field in error, in the order the form shows them (to move focus there). */
export function firstInvalid<K extends string>(errors: FieldErrors<K>, order: readonly K[]): K | undefined {
  return order.find((key) => errors[key] !== undefined);
}
