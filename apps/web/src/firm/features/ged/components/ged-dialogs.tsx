import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { formatDateTime } from '../../../../lib/format';
import { formatBytes } from '../../../../lib/format-bytes';
import { useLanguage } from '../../../../lib/use-language';
import { Dialog } from '../../../components/dialog';
import { Field, FormAlert } from '../../../components/form-field';
import { type GedDocument, type GedFolder, uploadVersion, useRefreshGed, useVersions } from '../api/use-ged';
import { UploadPanel } from './upload-panel';

/** A name to give: a new folder, or renaming a folder or a document. */
export function NameDialog({
  title,
  label,
  initial,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial: string;
  busy: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial);
  const [invalid, setInvalid] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setInvalid(t('firm.form.required'));
      return;
    }
    onSubmit(name.trim());
  };
  return (
    <Dialog
      title={title}
      size="small"
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.validate')}
          </button>
        </>
      }
    >
      <Field label={label} required error={invalid}>
        {(control) => (
          <input
            {...control}
            className="input ged-dialog__input"
            value={name}
            maxLength={200}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setInvalid(undefined);
            }}
          />
        )}
      </Field>
      <FormAlert>{error ? errorMessage(t, error) : null}</FormAlert>
    </Dialog>
  );
}

/** Déplacer: any folder of the file but the current one. */
export function MoveDialog({
  document,
  folders,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  document: GedDocument;
  folders: GedFolder[];
  busy: boolean;
  error: unknown;
  onSubmit: (folderId: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const choices = folders.filter((folder) => folder.id !== document.folderId);
  const [folderId, setFolderId] = useState(choices[0]?.id ?? '');
  const pathOf = (folder: GedFolder): string => {
    const parent = folders.find((item) => item.id === folder.parentId);
    return parent ? `${pathOf(parent)} / ${folder.name}` : folder.name;
  };
  return (
    <Dialog
      title={t('firm.ged.moveTitle')}
      subtitle={document.name}
      size="small"
      onClose={onClose}
      onSubmit={(event) => {
        event.preventDefault();
        if (folderId) onSubmit(folderId);
      }}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !folderId}>
            {busy ? t('common.saving') : t('firm.ged.move')}
          </button>
        </>
      }
    >
      <Field label={t('firm.ged.destination')} required>
        {(control) => (
          <select
            {...control}
            className="select ged-dialog__input"
            value={folderId}
            onChange={(event) => setFolderId(event.currentTarget.value)}
          >
            {choices
              .map((folder) => ({ id: folder.id, path: pathOf(folder) }))
              .sort((a, b) => a.path.localeCompare(b.path, 'fr'))
              .map((folder) => (
                <option key={folder.id} value={folder.id}>
                  {folder.path}
                </option>
              ))}
          </select>
        )}
      </Field>
      <FormAlert>{error ? errorMessage(t, error) : null}</FormAlert>
    </Dialog>
  );
}

/** Versions: the history, newest first, and a new version to upload. */
export function VersionsDialog({
  fileId,
  document,
  canWrite,
  onClose,
}: {
  fileId: string;
  document: GedDocument;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const versions = useVersions(document.id);
  const refresh = useRefreshGed(fileId);
  return (
    <Dialog
      title={t('firm.ged.versionsTitle')}
      subtitle={document.name}
      size="large"
      onClose={onClose}
      footer={
        <button type="button" className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      {versions.isError ? (
        <FormAlert>{errorMessage(t, versions.error)}</FormAlert>
      ) : !versions.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">{t('firm.ged.versionsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('firm.ged.columns.version')}</th>
              <th scope="col">{t('firm.ged.columns.name')}</th>
              <th scope="col" className="is-end">
                {t('firm.ged.columns.size')}
              </th>
              <th scope="col">{t('firm.ged.columns.addedBy')}</th>
              <th scope="col">{t('firm.ged.columns.addedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.items.map((version) => (
              <tr key={version.version}>
                <td className="is-nowrap">
                  v{version.version}{' '}
                  {version.current ? (
                    <span className="badge badge--primary">{t('firm.ged.current')}</span>
                  ) : null}
                </td>
                <td>{version.name}</td>
                <td className="is-end is-nowrap">{formatBytes(version.size, language)}</td>
                <td className="is-nowrap">{version.addedBy.name}</td>
                <td className="is-nowrap">{formatDateTime(version.addedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite ? (
        <div className="ged-dialog__upload">
          <p className="field-label">{t('firm.ged.newVersion')}</p>
          <UploadPanel
            disabled={false}
            multiple={false}
            label={t('firm.ged.newVersion')}
            send={(file, onProgress) => uploadVersion(document.id, file, onProgress)}
            onUploaded={() => {
              void versions.refetch();
              void refresh();
            }}
          />
        </div>
      ) : null}
    </Dialog>
  );
}
