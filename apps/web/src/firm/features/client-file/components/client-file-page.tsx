import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ChevronLeftIcon } from '../../../../components/icons';
import { Notice } from '../../../../components/notice';
import { useDocumentTitle } from '../../../../lib/use-document-title';

/** One client file; its dashboard (widgets, Initialiser) comes in a later release. */
export function ClientFilePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  useDocumentTitle(t('firm.title', { page: t('firm.clientFile.title') }));
  return (
    <div className="page">
      <p>
        <Link to="/portefeuille" className="button button--ghost">
          <ChevronLeftIcon />
          {t('firm.clientFile.back')}
        </Link>
      </p>
      <header className="page-header">
        <h1>{t('firm.clientFile.title')}</h1>
        <span className="page-header__subtitle">{id}</span>
      </header>
      <Notice title={t('common.comingSoon')}>{t('firm.clientFile.text')}</Notice>
    </div>
  );
}
