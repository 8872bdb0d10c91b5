import { useTranslation } from 'react-i18next';
import { Notice } from '../../../../components/notice';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import type { ClientPageProps } from '../../../app/client-page';

/** Documents: the GED folders the firm shares (next releases). */
export function DocumentsPage({ session }: ClientPageProps) {
  const { t } = useTranslation();
  useDocumentTitle(t('client.title', { page: t('client.documents.title'), firm: session.firm.name }));
  return (
    <div className="space-page">
      <header className="space-page__header">
        <h1>{t('client.documents.title')}</h1>
      </header>
      <Notice title={t('common.comingSoon')}>{t('client.documents.text')}</Notice>
    </div>
  );
}
