import { useTranslation } from 'react-i18next';
import { DownloadIcon, MoreIcon } from '../../../../components/icons';
import { formatDateTime, formatDay } from '../../../../lib/format';
import { formatBytes } from '../../../../lib/format-bytes';
import { useLanguage } from '../../../../lib/use-language';
import { MenuButton } from '../../../components/menu-button';
import { documentContentUrl, type GedDocument } from '../api/use-ged';

export type DocumentAction = 'rename' | 'move' | 'versions' | 'delete';

function kindOf(mime: string): string {
  if (mime === 'application/pdf') return 'PDF';
  if (mime.startsWith('image/')) return mime.slice(6).toUpperCase();
  const known: Record<string, string> = {
    'text/csv': 'CSV',
    'text/plain': 'TXT',
    'application/xml': 'XML',
    'text/xml': 'XML',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
    'application/vnd.oasis.opendocument.text': 'ODT',
    'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  };
  return known[mime] ?? mime;
}

const previewable = (mime: string) =>
  mime === 'application/pdf' || /^image\/(?:png|jpeg|gif|webp)$/.test(mime);

/** The documents of a folder (or a search), dense, with the client visibility toggle per row. */
export function DocumentsTable({
  documents,
  canWrite,
  busy,
  showFolder,
  onToggleVisible,
  onAction,
}: {
  documents: (GedDocument & { folderName?: string; snippet?: string | null })[];
  canWrite: boolean;
  busy: boolean;
  showFolder?: boolean;
  onToggleVisible: (document: GedDocument, visible: boolean) => void;
  onAction: (document: GedDocument, action: DocumentAction) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="data-table-scroll">
      <table className="data-table ged-table" aria-busy={busy}>
        <caption className="visually-hidden">{t('firm.ged.documents')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('firm.ged.columns.name')}</th>
            {showFolder ? <th scope="col">{t('firm.ged.columns.folder')}</th> : null}
            <th scope="col">{t('firm.ged.columns.type')}</th>
            <th scope="col" className="is-end">
              {t('firm.ged.columns.size')}
            </th>
            <th scope="col">{t('firm.ged.columns.fiscalYear')}</th>
            <th scope="col">{t('firm.ged.columns.addedBy')}</th>
            <th scope="col">{t('firm.ged.columns.addedAt')}</th>
            <th scope="col">{t('firm.ged.columns.visible')}</th>
            <th scope="col" className="is-end">
              <span className="visually-hidden">{t('firm.ged.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {documents.map((document) => (
            <tr key={document.id}>
              <td className="is-strong ged-table__name">
                <a
                  href={documentContentUrl(document.id, previewable(document.mime) ? 'inline' : 'attachment')}
                  target={previewable(document.mime) ? '_blank' : undefined}
                  rel="noopener"
                  title={document.name}
                >
                  {document.name}
                  {previewable(document.mime) ? (
                    <span className="visually-hidden"> ({t('firm.ged.opensInNewTab')})</span>
                  ) : null}
                </a>
                {document.version > 1 ? (
                  <span className="badge ged-table__version">v{document.version}</span>
                ) : null}
                {document.snippet ? <span className="ged-table__snippet">{document.snippet}</span> : null}
              </td>
              {showFolder ? <td className="is-nowrap is-muted">{document.folderName}</td> : null}
              <td className="is-code">{kindOf(document.mime)}</td>
              <td className="is-end is-nowrap">{formatBytes(document.size, language)}</td>
              <td className="is-nowrap">{document.fiscalYear ?? t('common.none')}</td>
              <td className="is-nowrap">
                {document.addedBy.name}
                {document.addedBy.type === 'client' ? (
                  <span className="badge ged-table__client">{t('firm.ged.client')}</span>
                ) : null}
              </td>
              <td className="is-nowrap">
                <time dateTime={document.addedAt} title={formatDateTime(document.addedAt, language)}>
                  {formatDay(document.addedAt, language)}
                </time>
              </td>
              <td>
                <label className="ged-toggle">
                  <input
                    type="checkbox"
                    checked={document.visibleToClient}
                    disabled={!canWrite}
                    onChange={(event) => onToggleVisible(document, event.currentTarget.checked)}
                  />
                  <span className="visually-hidden">{t('firm.ged.visibleOf', { name: document.name })}</span>
                  <span aria-hidden="true">
                    {document.visibleToClient ? t('firm.ged.yes') : t('firm.ged.no')}
                  </span>
                </label>
              </td>
              <td>
                <div className="data-table__actions">
                  <a
                    className="button button--small"
                    href={documentContentUrl(document.id, 'attachment')}
                    download
                    aria-label={t('firm.ged.downloadOf', { name: document.name })}
                    title={t('firm.ged.download')}
                  >
                    <DownloadIcon size={14} />
                  </a>
                  <MenuButton
                    bare
                    className="button button--small"
                    label={<MoreIcon size={14} />}
                    ariaLabel={t('firm.ged.actionsOf', { name: document.name })}
                    align="end"
                    items={[
                      {
                        id: 'versions',
                        label: t('firm.ged.versions'),
                        onSelect: () => onAction(document, 'versions'),
                      },
                      {
                        id: 'rename',
                        label: t('firm.ged.rename'),
                        disabled: !canWrite,
                        onSelect: () => onAction(document, 'rename'),
                      },
                      {
                        id: 'move',
                        label: t('firm.ged.move'),
                        disabled: !canWrite,
                        onSelect: () => onAction(document, 'move'),
                      },
                      {
                        id: 'delete',
                        label: t('firm.ged.delete'),
                        disabled: !canWrite,
                        danger: true,
                        onSelect: () => onAction(document, 'delete'),
                      },
                    ]}
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
