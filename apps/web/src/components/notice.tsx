import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/error-message';

export function Notice({
  title,
  children,
  actions,
}: {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="notice">
      <p className="notice__title">{title}</p>
      {children ? <p className="notice__text">{children}</p> : null}
      {actions ? <div className="notice__actions">{actions}</div> : null}
    </div>
  );
}

/** A failed load: what went wrong in the person's language, and a way to try again. */
export function ErrorNotice({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__title">{title ?? t('common.errorTitle')}</p>
      <p className="notice__text">{errorMessage(t, error)}</p>
      {onRetry ? (
        <div className="notice__actions">
          <button type="button" className="button" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
