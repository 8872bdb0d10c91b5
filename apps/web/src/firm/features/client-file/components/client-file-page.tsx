import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ChevronLeftIcon, FolderIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { ApiError } from '../../../../lib/api';
import { formatDate, formatDay, formatSiren } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { FecSection } from '../../figures/components/fec-section';
import { usePermissions } from '../../session/api/use-permissions';
import { useFileDashboard } from '../api/use-file-dashboard';
import { CollaborativeWidget } from './collaborative-widget';
import { FileContactsTile } from './file-contacts-tile';
import '../../../components/data-table.css';
import './client-file.css';

/** Tableau de bord du dossier: the file's identity and its tiles, the collaborative one first. */
export function ClientFilePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { id = '' } = useParams();
  const { canWrite } = usePermissions();
  const dashboard = useFileDashboard(id);
  const file = dashboard.data?.file;
  useDocumentTitle(t('firm.title', { page: file ? file.name : t('firm.clientFile.title') }));

  const back = (
    <p className="file-dashboard__back">
      <Link to="/portefeuille" className="button button--ghost">
        <ChevronLeftIcon />
        {t('firm.clientFile.back')}
      </Link>
    </p>
  );

  if (dashboard.isError) {
    const notFound = dashboard.error instanceof ApiError && dashboard.error.status === 404;
    return (
      <div className="page">
        {back}
        <header className="page-header">
          <h1>{t('firm.clientFile.title')}</h1>
        </header>
        {notFound ? (
          <Notice title={t('firm.clientFile.notFound')}>{t('firm.clientFile.notFoundText')}</Notice>
        ) : (
          <ErrorNotice error={dashboard.error} onRetry={() => void dashboard.refetch()} />
        )}
      </div>
    );
  }

  if (!dashboard.data || !file) {
    return (
      <div className="page">
        {back}
        <header className="page-header">
          <h1>{t('firm.clientFile.title')}</h1>
        </header>
        <p role="status">{t('common.loading')}</p>
      </div>
    );
  }

  const none = t('common.none');
  return (
    <div className="page file-dashboard">
      {back}
      <header className="file-dashboard__header">
        <p className="page-header__eyebrow">{t('firm.clientFile.title')}</p>
        <h1>{file.name}</h1>
        <dl className="file-identity">
          <div>
            <dt>{t('firm.portfolio.columns.code')}</dt>
            <dd className="file-identity__code">{file.code}</dd>
          </div>
          <div>
            <dt>{t('firm.portfolio.columns.siren')}</dt>
            <dd>{file.siren ? formatSiren(file.siren) : none}</dd>
          </div>
          <div>
            <dt>{t('firm.portfolio.columns.legalForm')}</dt>
            <dd>{file.legalForm ?? none}</dd>
          </div>
          <div>
            <dt>{t('firm.portfolio.columns.fiscalYearEnd')}</dt>
            <dd>{file.fiscalYearEnd ? formatDate(file.fiscalYearEnd, language) : none}</dd>
          </div>
          <div>
            <dt>{t('firm.portfolio.columns.responsible')}</dt>
            <dd>{file.responsible?.name ?? none}</dd>
          </div>
          <div>
            <dt>{t('firm.portfolio.columns.offer')}</dt>
            <dd>
              {file.offer
                ? t('firm.clientFile.offerSince', {
                    offer: file.offer.label,
                    date: formatDay(file.offer.activatedAt, language),
                  })
                : none}
            </dd>
          </div>
        </dl>
        <p className="file-dashboard__links">
          <Link to={`/dossiers/${file.id}/ged`} className="button">
            <FolderIcon />
            {t('firm.ged.openFromFile')}
          </Link>
          <Link to={`/pieces?dossier=${file.id}`} className="button">
            {t('firm.nav.pieces')}
          </Link>
        </p>
      </header>

      <div className="file-dashboard__grid">
        <CollaborativeWidget dashboard={dashboard.data} canWrite={canWrite} />
        <FileContactsTile fileId={file.id} />
      </div>
      <FecSection fileId={file.id} canWrite={canWrite} />
    </div>
  );
}
