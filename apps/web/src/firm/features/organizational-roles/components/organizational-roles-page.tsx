import type { OrgRole } from '@passerelle/contracts/collaboration';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PlusIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { errorMessage } from '../../../../lib/error-message';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { FormAlert, SuccessMessage } from '../../../components/form-field';
import { usePermissions } from '../../session/api/use-permissions';
import { useOrgRoles, useUpdateOrgRole } from '../api/use-org-roles';
import { RoleDialog } from './role-dialog';
import '../../../components/data-table.css';
import './organizational-roles.css';

/**
 * Paramètres > Rôles organisationnels: the roles a contact can hold (Dirigeant, Gérant…), the
 * prerequisite of the contact form. Administrators add, rename, retire and restore them; a
 * retired role stays on its contacts but cannot be chosen any more.
 */
export function OrganizationalRolesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('firm.title', { page: t('firm.organizationalRoles.title') }));
  const { isAdmin } = usePermissions();
  const roles = useOrgRoles();
  const retire = useUpdateOrgRole();
  const [dialog, setDialog] = useState<{ role: OrgRole | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const toggleRetired = (role: OrgRole) => {
    setMessage(null);
    retire.mutate(
      { id: role.id, retired: !role.retired },
      {
        onSuccess: () =>
          setMessage(
            role.retired
              ? t('firm.organizationalRoles.restored', { name: role.name })
              : t('firm.organizationalRoles.retiredDone', { name: role.name }),
          ),
      },
    );
  };

  return (
    <div className="page roles-page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">{t('firm.nav.settings')}</p>
          <h1>{t('firm.organizationalRoles.title')}</h1>
        </div>
        <p className="page-header__subtitle">{t('firm.organizationalRoles.subtitle')}</p>
      </header>

      {isAdmin ? null : <p className="roles-page__readonly">{t('firm.organizationalRoles.readOnly')}</p>}
      {message ? (
        <div className="roles-page__message">
          <SuccessMessage onDismiss={() => setMessage(null)}>{message}</SuccessMessage>
        </div>
      ) : null}
      <FormAlert>{retire.isError ? errorMessage(t, retire.error) : null}</FormAlert>

      <div className="data-card roles-page__card">
        {isAdmin ? (
          <div className="data-card__toolbar">
            <button
              type="button"
              className="button button--primary"
              aria-haspopup="dialog"
              onClick={() => {
                setMessage(null);
                setDialog({ role: null });
              }}
            >
              <PlusIcon size={16} />
              {t('common.add')}
            </button>
          </div>
        ) : null}
        {roles.isError ? (
          <div className="data-card__message">
            <ErrorNotice error={roles.error} onRetry={() => void roles.refetch()} />
          </div>
        ) : !roles.data ? (
          <p className="data-card__message" role="status">
            {t('common.loading')}
          </p>
        ) : roles.data.items.length === 0 ? (
          <div className="data-card__message">
            <Notice title={t('firm.organizationalRoles.emptyTitle')}>
              {t('firm.organizationalRoles.emptyText')}
            </Notice>
          </div>
        ) : (
          <div className="data-table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{t('firm.organizationalRoles.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('firm.organizationalRoles.name')}</th>
                  <th scope="col" className="is-end roles-page__count">
                    {t('firm.organizationalRoles.contacts')}
                  </th>
                  <th scope="col">{t('firm.organizationalRoles.state')}</th>
                  {isAdmin ? (
                    <th scope="col" className="is-end">
                      <span className="visually-hidden">{t('firm.portfolio.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {roles.data.items.map((role) => (
                  <tr key={role.id} className={role.retired ? 'roles-page__row--retired' : undefined}>
                    <td className="is-strong">{role.name}</td>
                    <td className="is-end roles-page__count">{role.contactCount}</td>
                    <td>
                      {role.retired ? (
                        <span className="badge">{t('firm.organizationalRoles.retiredBadge')}</span>
                      ) : (
                        <span className="badge badge--success">{t('firm.organizationalRoles.active')}</span>
                      )}
                    </td>
                    {isAdmin ? (
                      <td>
                        <div className="data-table__actions">
                          <button
                            type="button"
                            className="button button--small"
                            aria-haspopup="dialog"
                            aria-label={t('firm.organizationalRoles.renameOf', { name: role.name })}
                            onClick={() => {
                              setMessage(null);
                              setDialog({ role });
                            }}
                          >
                            {t('firm.organizationalRoles.rename')}
                          </button>
                          <button
                            type="button"
                            className="button button--small"
                            disabled={retire.isPending && retire.variables?.id === role.id}
                            aria-label={
                              role.retired
                                ? t('firm.organizationalRoles.restoreOf', { name: role.name })
                                : t('firm.organizationalRoles.retireOf', { name: role.name })
                            }
                            onClick={() => toggleRetired(role)}
                          >
                            {role.retired
                              ? t('firm.organizationalRoles.restore')
                              : t('firm.organizationalRoles.retire')}
                          </button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {dialog ? (
        <RoleDialog
          role={dialog.role}
          onClose={() => setDialog(null)}
          onDone={(role, created) => {
            setDialog(null);
            setMessage(
              created
                ? t('firm.organizationalRoles.created', { name: role.name })
                : t('firm.organizationalRoles.renamed', { name: role.name }),
            );
          }}
        />
      ) : null}
    </div>
  );
}
