import { useTranslation } from 'react-i18next';
import { DocumentIcon, DownloadIcon } from '../../../../components/icons';
import { formatDay } from '../../../../lib/format';
import { formatBytes } from '../../../../lib/format-bytes';
import { useLanguage } from '../../../../lib/use-language';
import { type ClientGedDocument, canPreview, contentUrl } from '../api/client-ged';

/** A shared document: its name opens it (in a new tab when the browser can show it), or download. */
export function DocumentRow({ document, folderName }: { document: ClientGedDocument; folderName?: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const preview = canPreview(document.mime);
  return (
    <li className="doc-row">
      <span className="doc-row__icon" aria-hidden="true">
        <DocumentIcon size={20} />
      </span>
      <div className="doc-row__text">
        <a
          className="doc-row__name"
          href={contentUrl(document.id, preview ? 'inline' : 'attachment')}
          target={preview ? '_blank' : undefined}
          rel={preview ? 'noopener' : undefined}
          download={preview ? undefined : document.name}
        >
          {document.name}
          {preview ? <span className="visually-hidden"> ({t('client.documents.opensInNewTab')})</span> : null}
        </a>
        <span className="doc-row__meta">
          {folderName ? `${folderName} · ` : ''}
          {formatDay(document.addedAt, language)} · {formatBytes(document.size, language)}
        </span>
      </div>
      <a
        className="doc-row__action"
        href={contentUrl(document.id, 'attachment')}
        download={document.name}
        aria-label={t('client.documents.download', { name: document.name })}
      >
        <DownloadIcon size={20} />
      </a>
    </li>
  );
}
