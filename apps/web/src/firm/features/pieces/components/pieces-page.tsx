import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CheckIcon, DownloadIcon, ForbiddenIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { buildUrl } from '../../../../lib/api';
import { errorMessage } from '../../../../lib/error-message';
import { formatDateTime } from '../../../../lib/format';
import { formatBytes } from '../../../../lib/format-bytes';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { usePermissions } from '../../session/api/use-permissions';
import {
  type Piece,
  type PieceStatus,
  usePieces,
  usePortfolioFiles,
  useUpdatePiece,
} from '../api/use-pieces';
import { RejectDialog } from './reject-dialog';
import '../../../components/data-table.css';
import './pieces.css';

const statuses: PieceStatus[] = ['a_traiter', 'traitee', 'rejetee'];
const badgeOf: Record<PieceStatus, string> = {
  a_traiter: 'badge badge--warning',
  traitee: 'badge badge--success',
  rejetee: 'badge badge--danger',
};

function isStatus(value: string | null): value is PieceStatus {
  return statuses.includes(value as PieceStatus);
}

/** Pièces: what the clients of the whole portfolio deposited, to process or reject. */
export function PiecesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  useDocumentTitle(t('firm.title', { page: t('firm.pieces.title') }));
  const { canWrite } = usePermissions();
  const fileFilterId = useId();
  const statusFilterId = useId();
  const [params, setParams] = useSearchParams();
  const fileId = params.get('dossier') ?? '';
  const rawStatus = params.get('statut');
  // Without a choice, what is waiting; "tous" shows everything.
  const status: PieceStatus | '' = rawStatus === 'tous' ? '' : isStatus(rawStatus) ? rawStatus : 'a_traiter';
  const pieces = usePieces({ fileId, status });
  const files = usePortfolioFiles();
  const update = useUpdatePiece();
  const [rejecting, setRejecting] = useState<Piece | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const items = pieces.data?.pages.flatMap((page) => page.items) ?? [];

  const setFilter = (key: 'dossier' | 'statut', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const markProcessed = (piece: Piece) => {
    update.mutate(
      { pieceId: piece.id, update: { status: 'traitee' } },
      { onSuccess: () => setAnnouncement(t('firm.pieces.processedDone', { name: piece.name })) },
    );
  };

  return (
    <div className="page pieces-page">
      <header className="page-header">
        <h1>{t('firm.pieces.title')}</h1>
        <p className="page-header__subtitle">{t('firm.pieces.subtitle')}</p>
      </header>

      <div className="pieces-page__filters">
        <div>
          <label htmlFor={fileFilterId} className="field-label">
            {t('firm.pieces.fileFilter')}
          </label>
          <select
            id={fileFilterId}
            className="select"
            value={fileId}
            onChange={(event) => setFilter('dossier', event.currentTarget.value)}
          >
            <option value="">{t('firm.pieces.allFiles')}</option>
            {files.data?.items.map((file) => (
              <option key={file.id} value={file.id}>
                {file.code} – {file.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={statusFilterId} className="field-label">
            {t('firm.pieces.statusFilter')}
          </label>
          <select
            id={statusFilterId}
            className="select"
            value={status || 'tous'}
            onChange={(event) =>
              setFilter('statut', event.currentTarget.value === 'a_traiter' ? '' : event.currentTarget.value)
            }
          >
            {statuses.map((value) => (
              <option key={value} value={value}>
                {t(`firm.pieces.status.${value}`)}
              </option>
            ))}
            <option value="tous">{t('firm.pieces.allStatuses')}</option>
          </select>
        </div>
      </div>

      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {update.isError && !rejecting ? (
        <p className="toast" role="alert">
          {errorMessage(t, update.error)}
        </p>
      ) : null}

      <div className="data-card">
        {pieces.isError && items.length === 0 ? (
          <div className="data-card__message">
            <ErrorNotice error={pieces.error} onRetry={() => void pieces.refetch()} />
          </div>
        ) : pieces.isPending ? (
          <p className="data-card__message" role="status">
            {t('common.loading')}
          </p>
        ) : items.length === 0 ? (
          <div className="data-card__message">
            <Notice title={t('firm.pieces.empty')} />
          </div>
        ) : (
          <>
            <div className="data-table-scroll">
              <table className="data-table pieces-table" aria-busy={pieces.isFetching}>
                <caption className="visually-hidden">{t('firm.pieces.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('firm.pieces.columns.depositedAt')}</th>
                    <th scope="col">{t('firm.pieces.columns.file')}</th>
                    <th scope="col">{t('firm.pieces.columns.name')}</th>
                    <th scope="col">{t('firm.pieces.columns.depositedBy')}</th>
                    <th scope="col" className="is-end">
                      {t('firm.pieces.columns.size')}
                    </th>
                    <th scope="col">{t('firm.pieces.columns.status')}</th>
                    <th scope="col" className="is-end">
                      {t('firm.pieces.columns.actions')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((piece) => (
                    <tr key={piece.id}>
                      <td className="is-nowrap">
                        <time dateTime={piece.depositedAt}>
                          {formatDateTime(piece.depositedAt, language)}
                        </time>
                      </td>
                      <td className="is-nowrap">
                        <Link to={`/dossiers/${piece.fileId}`}>{piece.fileCode}</Link>{' '}
                        <span className="is-muted">{piece.fileName}</span>
                      </td>
                      <td className="is-strong pieces-table__name">
                        <a
                          href={buildUrl(`/api/ged/documents/${piece.documentId}/content`, {
                            disposition: 'inline',
                          })}
                          target="_blank"
                          rel="noopener"
                        >
                          {piece.name}
                        </a>
                      </td>
                      <td className="is-nowrap">{piece.depositedBy.name}</td>
                      <td className="is-end is-nowrap">{formatBytes(piece.size, language)}</td>
                      <td>
                        <span className={badgeOf[piece.status]}>
                          {t(`firm.pieces.status.${piece.status}`)}
                        </span>
                        {piece.reason ? <span className="pieces-table__reason">{piece.reason}</span> : null}
                      </td>
                      <td>
                        <div className="data-table__actions">
                          <a
                            className="button button--small"
                            href={buildUrl(`/api/ged/documents/${piece.documentId}/content`, {
                              disposition: 'attachment',
                            })}
                            download
                            aria-label={t('firm.pieces.download', { name: piece.name })}
                          >
                            <DownloadIcon size={14} />
                          </a>
                          {canWrite && piece.status !== 'traitee' ? (
                            <button
                              type="button"
                              className="button button--small"
                              disabled={update.isPending}
                              onClick={() => markProcessed(piece)}
                              aria-label={t('firm.pieces.markProcessedOf', { name: piece.name })}
                            >
                              <CheckIcon size={14} />
                              {t('firm.pieces.markProcessed')}
                            </button>
                          ) : null}
                          {canWrite && piece.status === 'a_traiter' ? (
                            <button
                              type="button"
                              className="button button--small"
                              onClick={() => setRejecting(piece)}
                              aria-label={t('firm.pieces.rejectOf', { name: piece.name })}
                            >
                              <ForbiddenIcon size={14} />
                              {t('firm.pieces.reject')}
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="data-card__footer">
              <p aria-live="polite">{t('firm.pieces.count', { count: items.length })}</p>
              {pieces.hasNextPage ? (
                <button
                  type="button"
                  className="button"
                  disabled={pieces.isFetchingNextPage}
                  onClick={() => void pieces.fetchNextPage()}
                >
                  {pieces.isFetchingNextPage ? t('common.loading') : t('firm.pieces.more')}
                </button>
              ) : null}
            </div>
          </>
        )}
      </div>

      {rejecting ? (
        <RejectDialog
          piece={rejecting}
          onClose={() => setRejecting(null)}
          onDone={() => {
            setAnnouncement(t('firm.pieces.rejectedDone', { name: rejecting.name }));
            setRejecting(null);
          }}
        />
      ) : null}
    </div>
  );
}
