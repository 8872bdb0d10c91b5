import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DownloadIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { formatDateTime } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { usePermissions } from '../../session/api/use-permissions';
import { auditExportUrl, useAuditLog } from '../api/use-audit';
import { actionLabel, actorLabel, knownActions, targetLabel } from './audit-labels';
import '../../../components/data-table.css';
import './audit.css';

/** Paramètres > Journal d'audit (administrators): every security-relevant act, newest first. */
export function AuditPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('firm.title', { page: t('firm.audit.title') }));
  const { isAdmin } = usePermissions();
  return (
    <div className="page audit-page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">{t('firm.nav.settings')}</p>
          <h1>{t('firm.audit.title')}</h1>
        </div>
        <p className="page-header__subtitle">{t('firm.audit.subtitle')}</p>
      </header>
      {isAdmin ? (
        <AuditLog />
      ) : (
        <Notice title={t('firm.audit.adminOnly')}>{t('firm.audit.adminOnlyText')}</Notice>
      )}
    </div>
  );
}

function AuditLog() {
  const { t } = useTranslation();
  const language = useLanguage();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const log = useAuditLog(action);
  const events = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <div className="audit-page__toolbar">
        <div className="audit-page__filter">
          <label htmlFor={filterId} className="audit-page__filter-label">
            {t('firm.audit.filter')}
          </label>
          <select
            id={filterId}
            className="select"
            value={action}
            onChange={(event) =>
              setParams(event.target.value ? { action: event.target.value } : {}, { replace: true })
            }
          >
            <option value="">{t('firm.audit.allActions')}</option>
            {knownActions.map((known) => (
              <option key={known} value={known}>
                {actionLabel(t, known)}
              </option>
            ))}
          </select>
        </div>
        <a className="button" href={auditExportUrl(action)} download>
          <DownloadIcon size={16} />
          {t('firm.audit.export')}
        </a>
      </div>

      <div className="data-card">
        {log.isError && events.length === 0 ? (
          <div className="data-card__message">
            <ErrorNotice error={log.error} onRetry={() => void log.refetch()} />
          </div>
        ) : log.isPending ? (
          <p className="data-card__message" role="status">
            {t('common.loading')}
          </p>
        ) : events.length === 0 ? (
          <div className="data-card__message">
            <Notice title={t('firm.audit.empty')} />
          </div>
        ) : (
          <>
            <div className="data-table-scroll">
              <table className="data-table audit-table" aria-busy={log.isFetching}>
                <caption className="visually-hidden">{t('firm.audit.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('firm.audit.columns.date')}</th>
                    <th scope="col">{t('firm.audit.columns.actor')}</th>
                    <th scope="col">{t('firm.audit.columns.action')}</th>
                    <th scope="col">{t('firm.audit.columns.target')}</th>
                    <th scope="col">{t('firm.audit.columns.ip')}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id}>
                      <td className="is-nowrap">
                        <time dateTime={event.at}>{formatDateTime(event.at, language)}</time>
                      </td>
                      <td className="is-nowrap">{actorLabel(t, event)}</td>
                      <td className="is-strong">{actionLabel(t, event.action)}</td>
                      <td className="audit-table__target" title={event.targetId ?? undefined}>
                        {targetLabel(t, event)}
                      </td>
                      <td className="is-code" title={event.userAgent ?? undefined}>
                        {event.ip ?? t('common.none')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="data-card__footer">
              <p className="audit-page__count" aria-live="polite">
                {t('firm.audit.count', { count: events.length })}
              </p>
              {log.hasNextPage ? (
                <button
                  type="button"
                  className="button"
                  disabled={log.isFetchingNextPage}
                  onClick={() => void log.fetchNextPage()}
                >
                  {log.isFetchingNextPage ? t('common.loading') : t('firm.audit.more')}
                </button>
              ) : null}
            </div>
          </>
        )}
      </div>
    </>
  );
}
