import { useTranslation } from 'react-i18next';
import { ChartIcon, DocumentIcon, UploadIcon } from '../../../../components/icons';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import type { ClientPageProps } from '../../../app/client-page';
import { Link } from '../../../app/router';
import './dashboard.css';

/** Tableau de bord: the greeting now; the company's key figures come with the FEC import. */
export function DashboardPage({ session }: ClientPageProps) {
  const { t } = useTranslation();
  useDocumentTitle(t('client.title', { page: t('client.nav.dashboard'), firm: session.firm.name }));
  const firstName = session.user.firstName.trim();
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

      <div className="dashboard-grid">
        <section className="dashboard-card dashboard-card--wide" aria-labelledby="figures-title">
          <div className="dashboard-card__icon">
            <ChartIcon size={22} />
          </div>
          <div>
            <h2 id="figures-title">{t('client.dashboard.figuresTitle')}</h2>
            <p>{t('client.dashboard.figuresText')}</p>
          </div>
        </section>
        <Link to="/espace/deposer" className="dashboard-card dashboard-card--link">
          <span className="dashboard-card__icon">
            <UploadIcon size={22} />
          </span>
          <span>
            <span className="dashboard-card__title">{t('client.dashboard.uploadTitle')}</span>
            <span className="dashboard-card__text">{t('client.dashboard.uploadText')}</span>
          </span>
        </Link>
        <Link to="/espace/documents" className="dashboard-card dashboard-card--link">
          <span className="dashboard-card__icon">
            <DocumentIcon size={22} />
          </span>
          <span>
            <span className="dashboard-card__title">{t('client.dashboard.documentsTitle')}</span>
            <span className="dashboard-card__text">{t('client.dashboard.documentsText')}</span>
          </span>
        </Link>
      </div>
    </div>
  );
}
