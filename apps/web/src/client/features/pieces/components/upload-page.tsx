import { useTranslation } from 'react-i18next';
import { Notice } from '../../../../components/notice';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import type { ClientPageProps } from '../../../app/client-page';

/** Déposer: sending pieces from a computer or the phone's camera (next releases). */
export function UploadPage({ session }: ClientPageProps) {
  const { t } = useTranslation();
  useDocumentTitle(t('client.title', { page: t('client.upload.title'), firm: session.firm.name }));
  return (
    <div className="space-page">
      <header className="space-page__header">
        <h1>{t('client.upload.title')}</h1>
      </header>
      <Notice title={t('common.comingSoon')}>{t('client.upload.text')}</Notice>
    </div>
  );
}
