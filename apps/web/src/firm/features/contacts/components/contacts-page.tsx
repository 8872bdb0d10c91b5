import { useTranslation } from 'react-i18next';
import { ComingSoonPage } from '../../../components/coming-soon-page';

/** Clients > Interlocuteurs: the client contacts of the firm (list and form come next). */
export function ContactsPage() {
  const { t } = useTranslation();
  return <ComingSoonPage title={t('firm.contacts.title')} />;
}
