import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Notice } from '../../components/notice';
import { useDocumentTitle } from '../../lib/use-document-title';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('firm.title', { page: t('common.notFoundTitle') }));
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('common.notFoundTitle')}</h1>
      </header>
      <Notice
        title={t('common.notFoundText')}
        actions={
          <Link to="/portefeuille" className="button">
            {t('firm.clientFile.back')}
          </Link>
        }
      />
    </div>
  );
}
