import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigationType } from 'react-router';
import {
  CloseIcon,
  FolderIcon,
  LogoMark,
  LogoutIcon,
  MenuIcon,
  SettingsIcon,
  UsersIcon,
} from '../../components/icons';
import { LanguageToggle } from '../../components/language-toggle';
import { ErrorNotice } from '../../components/notice';
import { errorMessage } from '../../lib/error-message';
import type { StaffSession } from '../../lib/session';
import { useFocusOnNavigation } from '../../lib/use-focus-on-navigation';
import { useLogout, useSession } from '../features/session/api/use-session';
import './firm-layout.css';

/** The pieces inbox: a tray. */
const InboxIcon = () => (
  <svg
    width="18"
    height="18"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    aria-hidden="true"
  >
    <path d="M4 13l2.5-7h11L20 13v6H4v-6Z" />
    <path d="M4 13h5l1 2h4l1-2h5" />
  </svg>
);

const mainId = 'contenu';

/** Top bar, left navigation and the page; the navigation becomes a drawer on narrow screens. */
export function FirmLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const menuButton = useRef<HTMLButtonElement>(null);
  const navigationType = useNavigationType();
  useFocusOnNavigation(pathname, mainId, navigationType !== 'REPLACE');

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing the drawer is the reaction to a new page
  useEffect(() => setMenuOpen(false), [pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);

  const staff = session.data?.kind === 'staff' ? session.data : null;
  const isClient = session.data?.kind === 'client';
  useEffect(() => {
    // A client contact's session has no business in the back office: their space is elsewhere.
    if (isClient) window.location.replace('/espace');
  }, [isClient]);

  return (
    <div className="firm-shell">
      <a className="skip-link" href={`#${mainId}`}>
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="topbar__menu"
          aria-expanded={menuOpen}
          aria-controls={navId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? <CloseIcon /> : <MenuIcon />}
          <span className="visually-hidden">{menuOpen ? t('firm.closeMenu') : t('firm.openMenu')}</span>
        </button>
        <div className="topbar__brand">
          <LogoMark size={26} inverse />
          <span className="topbar__product">{t('common.appName')}</span>
          {staff ? <span className="topbar__firm">{staff.firm.name}</span> : null}
        </div>
        <div className="topbar__end">
          <LanguageToggle tone="dark" />
          {staff ? <AccountMenu session={staff} /> : null}
        </div>
      </header>

      <div className="firm-body">
        <nav
          id={navId}
          className={`sidebar${menuOpen ? ' sidebar--open' : ''}`}
          aria-label={t('firm.mainNav')}
        >
          {staff ? (
            <div className="sidebar__account">
              <span className="sidebar__firm">{staff.firm.name}</span>
              <span>
                {staff.user.firstName} {staff.user.lastName} · {t(`roles.${staff.user.role}`)}
              </span>
            </div>
          ) : null}
          <ul className="sidebar__list">
            <li>
              <NavLink to="/portefeuille" className="sidebar__link">
                <FolderIcon />
                {t('firm.nav.portfolio')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/pieces" className="sidebar__link">
                <InboxIcon />
                {t('firm.nav.pieces')}
              </NavLink>
            </li>
            <NavGroup icon={<UsersIcon />} label={t('firm.nav.clients')}>
              <li>
                <NavLink to="/clients/interlocuteurs" className="sidebar__link sidebar__link--sub">
                  {t('firm.nav.contacts')}
                </NavLink>
              </li>
            </NavGroup>
            <NavGroup icon={<SettingsIcon />} label={t('firm.nav.settings')}>
              <li>
                <NavLink to="/parametres/roles" className="sidebar__link sidebar__link--sub">
                  {t('firm.nav.organizationalRoles')}
                </NavLink>
              </li>
              {staff?.user.role === 'administrateur' ? (
                <li>
                  <NavLink to="/parametres/audit" className="sidebar__link sidebar__link--sub">
                    {t('firm.nav.audit')}
                  </NavLink>
                </li>
              ) : null}
            </NavGroup>
          </ul>
        </nav>
        {menuOpen ? (
          <button
            type="button"
            className="sidebar-backdrop"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() => setMenuOpen(false)}
          />
        ) : null}

        <main id={mainId} className="firm-main" tabIndex={-1}>
          {session.isError ? (
            <div className="page">
              <ErrorNotice error={session.error} onRetry={() => void session.refetch()} />
            </div>
          ) : staff ? (
            <Outlet />
          ) : (
            <p className="firm-main__loading">{t('common.loading')}</p>
          )}
        </main>
      </div>
    </div>
  );
}

function NavGroup({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  const labelId = useId();
  return (
    <li className="sidebar__group">
      <span id={labelId} className="sidebar__group-label">
        {icon}
        {label}
      </span>
      <ul aria-labelledby={labelId}>{children}</ul>
    </li>
  );
}

function AccountMenu({ session }: { session: StaffSession }) {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <>
      <div className="topbar__person">
        <span className="topbar__person-name">
          {session.user.firstName} {session.user.lastName}
        </span>
        <span className="topbar__person-role">{t(`roles.${session.user.role}`)}</span>
      </div>
      <button
        type="button"
        className="topbar__logout"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
      >
        <LogoutIcon />
        <span className="topbar__logout-label">
          {logout.isPending ? t('common.loggingOut') : t('common.logout')}
        </span>
      </button>
      {logout.isError ? (
        <p className="toast" role="alert">
          {errorMessage(t, logout.error)}
        </p>
      ) : null}
    </>
  );
}
