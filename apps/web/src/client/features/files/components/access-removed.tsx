import { useTranslation } from 'react-i18next';
import { ChevronRightIcon } from '../../../../components/icons';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import type { ClientFileSummary } from '../api/client-files';
import type { RememberedFile } from '../api/selected-file';
import './files.css';

/**
 * The firm withdrew access (service revoked, offer deactivated, contact unlinked): said plainly,
 * with the contact's other files if any remain.
 */
export function AccessRemoved({
  lost,
  files,
  onSelect,
}: {
  lost: RememberedFile | null;
  files: ClientFileSummary[];
  onSelect: (file: ClientFileSummary) => void;
}) {
  const { t } = useTranslation();
  useDocumentTitle(t('client.files.removedTitle'));
  return (
    <div className="space-page access-removed">
      <h1>{t('client.files.removedTitle')}</h1>
      <div className="notice notice--error" role="alert">
        <p className="notice__title">{t('client.files.removed')}</p>
        {lost?.name ? (
          <p className="notice__text">{t('client.files.removedFile', { name: lost.name })}</p>
        ) : null}
        <p className="notice__text">{t('client.files.removedHint')}</p>
      </div>
      {files.length > 0 ? (
        <section aria-labelledby="other-files" className="access-removed__others">
          <h2 id="other-files">{t('client.files.otherFiles')}</h2>
          <ul>
            {files.map((file) => (
              <li key={file.id}>
                <button type="button" className="button" onClick={() => onSelect(file)}>
                  <span>{file.name}</span>
                  <ChevronRightIcon size={18} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
