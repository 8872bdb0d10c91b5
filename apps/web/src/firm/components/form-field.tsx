import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from '../../components/icons';
import './form.css';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
  required: boolean | undefined;
}

interface FieldProps {
  label: string;
  /** The field's own id, when the form needs to move focus to it. */
  id?: string;
  required?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
}

/**
 * A label, the control, a hint and the error next to it. The control gets its id,
 * aria-invalid and aria-describedby (hint and error) from here.
 */
export function Field({ label, id, required, hint, error, children, className }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`form-field${error ? ' form-field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <div className="form-field__label">
        <label htmlFor={controlId} className="field-label">
          {label}
        </label>
        {/* Outside the label: the field's name stays exactly its label ("Nom"); `required` says it. */}
        {required ? (
          <span className="form-field__required" aria-hidden="true">
            *
          </span>
        ) : null}
      </div>
      {children({
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
        required: required || undefined,
      })}
      {error ? (
        <p id={errorId} className="form-field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** What went wrong with the whole form (or the request), announced when it appears. */
export function FormAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="form-alert" role="alert">
      {children}
    </p>
  );
}

/** A confirmation that something was done, announced politely. */
export function SuccessMessage({ children, onDismiss }: { children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className="form-success" role="status">
      <p>{children}</p>
      {onDismiss ? <DismissButton onDismiss={onDismiss} /> : null}
    </div>
  );
}

function DismissButton({ onDismiss }: { onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="form-success__dismiss" onClick={onDismiss}>
      <CloseIcon size={16} />
      <span className="visually-hidden">{t('common.dismiss')}</span>
    </button>
  );
}
