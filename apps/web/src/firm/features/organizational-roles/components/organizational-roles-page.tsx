import { useTranslation } from 'react-i18next';
import { ComingSoonPage } from '../../../components/coming-soon-page';

/** Paramètres > Rôles organisationnels: the roles a contact can hold (dirigeant, gérant…). */
export function OrganizationalRolesPage() {
  const { t } = useTranslation();
  return <ComingSoonPage title={t('firm.organizationalRoles.title')} />;
}
