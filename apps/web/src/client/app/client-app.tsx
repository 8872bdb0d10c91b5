import { type ComponentType, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentIcon, HomeIcon, LogoMark, LogoutIcon, UploadIcon } from '../../components/icons';
import { LanguageToggle } from '../../components/language-toggle';
import { ErrorNotice, Notice } from '../../components/notice';
import { errorMessage } from '../../lib/error-message';
import { logout } from '../../lib/session';
import { useFocusOnNavigation } from '../../lib/use-focus-on-navigation';
import { DashboardPage } from '../features/dashboard/components/dashboard-page';
import { DocumentsPage } from '../features/documents/components/documents-page';
import { UploadPage } from '../features/pieces/components/upload-page';
import { useClientSession } from '../features/session/api/use-client-session';
import type { ClientPageProps } from './client-page';
import { Link, navigate, usePathname } from './router';
import './client-app.css';

const routes: Record<string, ComponentType<ClientPageProps>> = {
  '/espace': DashboardPage,
  '/espace/documents': DocumentsPage,
  '/espace/deposer': UploadPage,
};

const mainId = 'contenu';

/** The client's space: phone first, a bottom tab bar on phones and a side menu on wider screens. */
export function ClientApp() {
  const { t } = useTranslation();
  const pathname = usePathname();
  const state = useClientSession();
  useFocusOnNavigation(pathname, mainId);

  const Page = routes[pathname];
  useEffect(() => {
    if (!Page && pathname.startsWith('/espace')) navigate('/espace', { replace: true });
  }, [Page, pathname]);

  const session = state.status === 'ready' ? state.session : null;

  return (
    <div className="space">
      <a className="skip-link" href={`#${mainId}`}>
        {t('common.skipToContent')}
      </a>
      <header className="space-header">
        <LogoMark size={30} inverse />
        <div className="space-header__title">
          <span className="space-header__firm">{session?.firm.name ?? t('common.appName')}</span>
          <span className="space-header__subtitle">{t('client.space')}</span>
        </div>
        <div className="space-header__end">
          <LanguageToggle tone="dark" />
          {session ? <LogoutButton /> : null}
        </div>
      </header>

      <nav className="space-nav" aria-label={t('client.mainNav')}>
        <ul>
          <li>
            <Link to="/espace" className="space-nav__link">
              <HomeIcon size={22} />
              <span>{t('client.nav.dashboard')}</span>
            </Link>
          </li>
          <li>
            <Link to="/espace/documents" className="space-nav__link">
              <DocumentIcon size={22} />
              <span>{t('client.nav.documents')}</span>
            </Link>
          </li>
          <li>
            <Link to="/espace/deposer" className="space-nav__link">
              <UploadIcon size={22} />
              <span>{t('client.nav.upload')}</span>
            </Link>
          </li>
        </ul>
      </nav>

      <main id={mainId} className="space-main" tabIndex={-1}>
        {state.status === 'error' ? (
          <ErrorNotice error={state.error} onRetry={state.reload} />
        ) : session && Page ? (
          <Page session={session} />
        ) : session ? (
          <Notice title={t('common.notFoundTitle')}>{t('common.notFoundText')}</Notice>
        ) : (
          <p className="space-main__loading">{t('common.loading')}</p>
        )}
      </main>
    </div>
  );
}

function LogoutButton() {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        className="space-header__logout"
        disabled={pending}
        onClick={() => {
          setPending(true);
          setError(null);
          logout().catch((cause: unknown) => {
            setPending(false);
            setError(cause);
          });
        }}
      >
        <LogoutIcon size={20} />
        <span className="space-header__logout-label">{t('common.logout')}</span>
      </button>
      {error ? (
        <p className="toast" role="alert">
          {errorMessage(t, error)}
        </p>
      ) : null}
    </>
  );
}
