import { useTranslation } from 'react-i18next';
import { Notice } from '../../components/notice';
import { useDocumentTitle } from '../../lib/use-document-title';

/** A page whose route exists already and whose content comes in a later release. */
export function ComingSoonPage({ title }: { title: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('firm.title', { page: title }));
  return (
    <div className="page">
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <Notice title={t('common.comingSoon')}>{t('common.comingSoonText')}</Notice>
    </div>
  );
}
