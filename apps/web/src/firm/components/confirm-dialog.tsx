import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './dialog';
import { FormAlert } from './form-field';

interface ConfirmDialogProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  /** A change that takes something away (access, a link): the button says so in red. */
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" with the consequences spelled out; focus starts on Annuler. */
export function ConfirmDialog({
  title,
  subtitle,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={title}
      subtitle={subtitle}
      size="small"
      alert
      initialFocus={cancelRef}
      onClose={onCancel}
      footer={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={`button ${danger ? 'button--danger' : 'button--primary'}`}
            disabled={busy}
            onClick={onConfirm}
          >
            {busy ? t('common.saving') : confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm-dialog__text">{children}</div>
      <FormAlert>{error}</FormAlert>
    </Dialog>
  );
}
