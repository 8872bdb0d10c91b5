import { type ComponentType, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentIcon, HomeIcon, LogoMark, LogoutIcon, UploadIcon } from '../../components/icons';
import { LanguageToggle } from '../../components/language-toggle';
import { ErrorNotice } from '../../components/notice';
import { errorMessage } from '../../lib/error-message';
import { logout } from '../../lib/session';
import { useFocusOnNavigation } from '../../lib/use-focus-on-navigation';
import { DashboardPage } from '../features/dashboard/components/dashboard-page';
import { DocumentsPage } from '../features/documents/components/documents-page';
import { useClientFiles } from '../features/files/api/client-files';
import { useSelectedFile } from '../features/files/api/use-selected-file';
import { AccessRemoved } from '../features/files/components/access-removed';
import { FileBar } from '../features/files/components/file-bar';
import { UploadPage } from '../features/pieces/components/upload-page';
import { useClientSession } from '../features/session/api/use-client-session';
import type { ClientPageProps } from './client-page';
import { Link, navigate, usePathname } from './router';

// Its styles (client-app.css) are linked by the page itself: see client-entry.css.

type Capability = ClientPageProps['file']['capabilities'][number];

/** The tabs of the space; a tab shows when the open file's offer grants its capability. */
const routes: Record<string, { Page: ComponentType<ClientPageProps>; needs?: Capability }> = {
  '/espace': { Page: DashboardPage },
  '/espace/documents': { Page: DocumentsPage, needs: 'ged.read' },
  '/espace/deposer': { Page: UploadPage, needs: 'pieces.deposit' },
};

const mainId = 'contenu';

/** The client's space: phone first, a bottom tab bar on phones and a side menu on wider screens. */
export function ClientApp() {
  const { t } = useTranslation();
  const pathname = usePathname();
  const state = useClientSession();
  useFocusOnNavigation(pathname, mainId);

  const session = state.status === 'ready' ? state.session : null;
  const files = useClientFiles(session !== null, pathname);
  const list = files.status === 'ready' ? files.files : null;
  const selected = useSelectedFile(session?.user.contactId ?? null, list);
  const file = selected.file;

  const route = routes[pathname];
  const allowed = route && (!route.needs || !file || file.capabilities.includes(route.needs));
  useEffect(() => {
    if (pathname.startsWith('/espace') && !allowed) navigate('/espace', { replace: true });
  }, [allowed, pathname]);

  const can = (capability: Capability) => file?.capabilities.includes(capability) ?? false;
  const error = state.status === 'error' ? state.error : files.status === 'error' ? files.error : null;
  const reload = state.status === 'error' ? state.reload : files.reload;

  let content: ReactNode;
  if (error) content = <ErrorNotice error={error} onRetry={reload} />;
  else if (!session || !list) content = <p className="space-main__loading">{t('common.loading')}</p>;
  else if (!file && (selected.lost || list.length === 0))
    content = <AccessRemoved lost={selected.lost} files={list} onSelect={selected.select} />;
  else if (!file || !route || !allowed)
    content = <p className="space-main__loading">{t('common.loading')}</p>;
  else {
    const { Page } = route;
    content = (
      <>
        <FileBar
          files={list}
          file={file}
          showGrants={pathname === '/espace'}
          onSelect={(next) => {
            selected.select(next);
            // Folders and searches in the address belong to the previous file.
            if (window.location.search) navigate(pathname, { replace: true });
          }}
        />
        <Page key={file.id} session={session} file={file} />
      </>
    );
  }

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
          {!file || can('ged.read') ? (
            <li>
              <Link to="/espace/documents" className="space-nav__link">
                <DocumentIcon size={22} />
                <span>{t('client.nav.documents')}</span>
              </Link>
            </li>
          ) : null}
          {!file || can('pieces.deposit') ? (
            <li>
              <Link to="/espace/deposer" className="space-nav__link">
                <UploadIcon size={22} />
                <span>{t('client.nav.upload')}</span>
              </Link>
            </li>
          ) : null}
        </ul>
      </nav>

      <main id={mainId} className="space-main" tabIndex={-1}>
        {content}
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
