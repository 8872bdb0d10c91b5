import { useTranslation } from 'react-i18next';
import { ChartIcon, ChevronRightIcon, UploadIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { formatDate } from '../../../../lib/format';
import { dateTimeFormat } from '../../../../lib/intl';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { useLoad } from '../../../../lib/use-load';
import type { ClientPageProps } from '../../../app/client-page';
import { Link } from '../../../app/router';
import { DocumentRow } from '../../documents/components/document-row';
import { ClientFigures } from '../../figures/components/client-figures';
import { MonthPieces } from '../../pieces/components/month-pieces';
import { fetchDashboard, readKeyFigures } from '../api/client-dashboard';
import { KeyFigures } from './key-figures';
import '../../documents/components/documents.css';
import '../../pieces/components/pieces.css';
import './dashboard.css';

/** "novembre 2026". */
function monthFormat(language: string): Intl.DateTimeFormat {
  return dateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric' });
}

/** Tableau de bord: the month's pieces and their status, the latest documents, the key figures. */
export function DashboardPage(props: ClientPageProps) {
  const { session } = props;
  const { t } = useTranslation();
  const language = useLanguage();
  useDocumentTitle(t('client.title', { page: t('client.nav.dashboard'), firm: session.firm.name }));
  const fileId: string | null = props.file.id;
  const dashboard = useLoad(fileId, (signal) => fetchDashboard(fileId ?? '', signal));
  const firstName = session.user.firstName.trim();
  const data = dashboard.data;
  const figures = data?.figures ? readKeyFigures(data.figures) : null;
  const monthLabel = data ? monthFormat(language).format(new Date(`${data.pieces.month}-15T12:00:00Z`)) : '';

  return (
    <div className="space-page">
      <header className="space-page__header">
        <h1>
          {firstName
            ? t('client.dashboard.greeting', { firstName })
            : t('client.dashboard.greetingAnonymous')}
        </h1>
        <p>{t('client.dashboard.intro', { firm: session.firm.name })}</p>
      </header>

      <Link to="/espace/deposer" className="dashboard-cta">
        <UploadIcon size={24} />
        <span>
          <span className="dashboard-cta__title">{t('client.dashboard.uploadTitle')}</span>
          <span className="dashboard-cta__text">{t('client.dashboard.uploadText')}</span>
        </span>
        <ChevronRightIcon size={20} />
      </Link>

      {dashboard.error ? (
        <ErrorNotice error={dashboard.error} onRetry={dashboard.reload} />
      ) : !data ? (
        <p className="space-muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <div className="dashboard-sections">
          <section className="dashboard-section" aria-labelledby="dashboard-pieces-title">
            <h2 id="dashboard-pieces-title" className="space-section-title">
              {t('client.dashboard.piecesTitle', { month: monthLabel })}
            </h2>
            <dl className="dashboard-counts">
              <div className="dashboard-counts__item dashboard-counts__item--todo">
                <dt>{t('client.pieceStatus.a_traiter')}</dt>
                <dd>{data.pieces.aTraiter}</dd>
              </div>
              <div className="dashboard-counts__item dashboard-counts__item--done">
                <dt>{t('client.pieceStatus.traitee')}</dt>
                <dd>{data.pieces.traitees}</dd>
              </div>
              <div className="dashboard-counts__item dashboard-counts__item--rejected">
                <dt>{t('client.pieceStatus.rejetee')}</dt>
                <dd>{data.pieces.rejetees}</dd>
              </div>
            </dl>
            {data.pieces.items.length > 0 ? (
              <MonthPieces pieces={data.pieces.items} />
            ) : (
              <Notice title={t('client.dashboard.noPieces')} />
            )}
          </section>

          <section className="dashboard-section" aria-labelledby="dashboard-docs-title">
            <div className="dashboard-section__head">
              <h2 id="dashboard-docs-title" className="space-section-title">
                {t('client.dashboard.latestDocuments')}
              </h2>
              <Link to="/espace/documents" className="dashboard-section__more">
                {t('client.dashboard.allDocuments')}
              </Link>
            </div>
            {data.latestDocuments.length > 0 ? (
              <ul className="doc-list">
                {data.latestDocuments.map((document) => (
                  <DocumentRow key={document.id} document={document} />
                ))}
              </ul>
            ) : (
              <Notice title={t('client.dashboard.noDocuments')} />
            )}
          </section>

          {figures ? (
            <section className="dashboard-section dashboard-section--wide" aria-labelledby="figures-title">
              <h2 id="figures-title" className="space-section-title">
                <ChartIcon size={20} /> {t('client.dashboard.figuresTitle')}
              </h2>
              {figures.fiscalYearEnd ? (
                <p className="space-muted">
                  {t('client.dashboard.fiscalYearEnd', { date: formatDate(figures.fiscalYearEnd, language) })}
                </p>
              ) : null}
              {figures.figures.length > 0 ? (
                <KeyFigures figures={figures.figures} />
              ) : (
                <Notice title={t('client.dashboard.figuresText')} />
              )}
            </section>
          ) : null}
        </div>
      )}
      {/* Below the sections, once they are there: arriving first, it would be pushed down. */}
      {fileId && (data || dashboard.error) ? <ClientFigures fileId={fileId} /> : null}
    </div>
  );
}
