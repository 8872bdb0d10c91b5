import type { Link } from '@passerelle/contracts/collaboration';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { useUpdateLink } from '../api/use-contacts';

/** The top-level folders of every file's GED. */
export const gedFolders = [
  'Pièces déposées',
  'Comptabilité',
  'Fiscal',
  'Juridique',
  'Social',
  'Paie',
  'Bilans',
];

interface Props {
  link: Link;
  onClose: () => void;
  onDone: (limitedTo: string[] | null) => void;
}

/**
 * "Limité à": "-" (the default) lets the contact see the whole file; otherwise only the chosen
 * top-level folders (a payroll assistant limited to Social, say).
 */
export function LimitedToDialog({ link, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const update = useUpdateLink();
  const [whole, setWhole] = useState(link.limitedTo === null);
  const [folders, setFolders] = useState<string[]>(link.limitedTo ?? []);
  const [figuresAllowed, setFiguresAllowed] = useState(link.figuresAllowed);
  const [missing, setMissing] = useState(false);
  const scopeName = useId();
  const missingId = useId();

  const toggle = (folder: string, on: boolean) => {
    setFolders((current) => (on ? [...current, folder] : current.filter((item) => item !== folder)));
    setMissing(false);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!whole && folders.length === 0) {
      setMissing(true);
      return;
    }
    const limitedTo = whole ? null : gedFolders.filter((folder) => folders.includes(folder));
    update.mutate(
      { contactId: link.contactId, fileId: link.fileId, limitedTo, ...(whole ? {} : { figuresAllowed }) },
      { onSuccess: () => onDone(limitedTo) },
    );
  };

  return (
    <Dialog
      title={t('firm.contacts.limited.title')}
      subtitle={`${link.fileCode} – ${link.fileName} · ${link.contactName}`}
      size="small"
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('common.ok')}
          </button>
        </>
      }
    >
      <fieldset className="limited-to">
        <legend className="field-label">{t('firm.contacts.files.columns.limitedTo')}</legend>
        <label className="limited-to__option">
          <input type="radio" name={scopeName} checked={whole} onChange={() => setWhole(true)} />
          <span>
            <strong>-</strong> {t('firm.contacts.limited.whole')}
          </span>
        </label>
        <label className="limited-to__option">
          <input type="radio" name={scopeName} checked={!whole} onChange={() => setWhole(false)} />
          <span>{t('firm.contacts.limited.some')}</span>
        </label>
        {!whole ? (
          <fieldset className="limited-to__folders" aria-describedby={missing ? missingId : undefined}>
            <legend className="visually-hidden">{t('firm.contacts.limited.folders')}</legend>
            {gedFolders.map((folder) => (
              <label key={folder} className="limited-to__folder">
                <input
                  type="checkbox"
                  checked={folders.includes(folder)}
                  onChange={(event) => toggle(folder, event.target.checked)}
                />
                {folder}
              </label>
            ))}
          </fieldset>
        ) : null}
        {missing ? (
          <p id={missingId} className="form-field__error">
            {t('firm.contacts.limited.missing')}
          </p>
        ) : null}
      </fieldset>
      {!whole ? (
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={figuresAllowed}
            onChange={(event) => setFiguresAllowed(event.target.checked)}
          />
          <span>
            <span className="checkbox-field__label">{t('firm.contacts.limited.figures')}</span>
            <span className="checkbox-field__hint">{t('firm.contacts.limited.figuresHint')}</span>
          </span>
        </label>
      ) : null}
      <FormAlert>{update.isError ? errorMessage(t, update.error) : null}</FormAlert>
    </Dialog>
  );
}
