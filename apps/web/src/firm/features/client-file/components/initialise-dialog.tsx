import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';

interface Props {
  fileName: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: () => void;
}

/** Initialiser: tick "Activation de l'extension", Ok. */
export function InitialiseDialog({ fileName, pending, error, onClose, onConfirm }: Props) {
  const { t } = useTranslation();
  const [checked, setChecked] = useState(false);
  const [missing, setMissing] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!checked) {
      setMissing(true);
      return;
    }
    onConfirm();
  };

  return (
    <Dialog
      title={t('firm.clientFile.widget.initialiseTitle')}
      subtitle={fileName}
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? t('common.saving') : t('common.ok')}
          </button>
        </>
      }
    >
      <p className="dialog-intro">{t('firm.clientFile.widget.initialiseIntro')}</p>
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={checked}
          aria-invalid={missing || undefined}
          onChange={(event) => {
            setChecked(event.target.checked);
            setMissing(false);
          }}
        />
        <span>
          <span className="checkbox-field__label">{t('firm.clientFile.widget.activation')}</span>
          <span className="checkbox-field__hint">{t('firm.clientFile.widget.activationHint')}</span>
        </span>
      </label>
      {missing ? <FormAlert>{t('firm.clientFile.widget.activationRequired')}</FormAlert> : null}
      <FormAlert>{error ? errorMessage(t, error) : null}</FormAlert>
    </Dialog>
  );
}
