import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { formatCount } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { SuccessMessage } from '../../../components/form-field';
import { usePermissions } from '../../session/api/use-permissions';
import {
  hasFilters,
  type PortfolioView,
  readPortfolioView,
  toPortfolioQuery,
  writePortfolioView,
} from '../api/portfolio-params';
import { usePortfolio } from '../api/use-portfolio';
import { FileContactDialog } from './file-contact-dialog';
import { FileFormDialog } from './file-form-dialog';
import { ImportDialog } from './import-dialog';
import { OfferDialog } from './offer-dialog';
import { PortfolioActions, type PortfolioDialog } from './portfolio-actions';
import { PortfolioFilters } from './portfolio-filters';
import { PortfolioPagination } from './portfolio-pagination';
import { PortfolioTable, PortfolioTableSkeleton } from './portfolio-table';
import './portfolio.css';

/** Portefeuille: every client file of the firm, searchable, filterable, sortable, paginated. */
export function PortfolioPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  useDocumentTitle(t('firm.title', { page: t('firm.portfolio.title') }));

  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo(() => readPortfolioView(searchParams), [searchParams]);
  const query = useMemo(() => toPortfolioQuery(view), [view]);
  const portfolio = usePortfolio(query);
  const [selected, setSelected] = useState<ClientFile | null>(null);
  const [dialog, setDialog] = useState<PortfolioDialog | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);
  const { canWrite } = usePermissions();
  const navigate = useNavigate();

  const finish = (done: ReactNode) => {
    setDialog(null);
    setMessage(done);
  };

  const updateView = useCallback(
    (change: Partial<PortfolioView>, options: { keepPage?: boolean } = {}) => {
      setSearchParams(
        (current) => {
          const next = { ...readPortfolioView(current), ...change };
          if (!options.keepPage && change.page === undefined) next.page = 1;
          return writePortfolioView(next);
        },
        { replace: change.q !== undefined },
      );
    },
    [setSearchParams],
  );

  const data = portfolio.data;
  useEffect(() => {
    if (!data) return;
    // The selection only makes sense on a row the person can see; it follows the row's new data.
    setSelected((current) => (current ? (data.items.find((file) => file.id === current.id) ?? null) : null));
    // Past the last page (a stale link, a file removed): go to the last one that exists.
    const lastPage = Math.max(1, Math.ceil(data.total / data.pageSize));
    if (data.items.length === 0 && data.total > 0 && data.page > lastPage) updateView({ page: lastPage });
  }, [data, updateView]);

  const filtered = hasFilters(view);
  const clearFilters = () => updateView({ q: '', offer: null, responsibleId: null });

  return (
    <div className="page portfolio-page">
      <header className="page-header">
        <h1>{t('firm.portfolio.title')}</h1>
        <p className="page-header__subtitle">
          {t('firm.portfolio.subtitle')}
          {data && !filtered ? ` · ${formatCount(data.total, language)}` : ''}
        </p>
      </header>

      <PortfolioFilters view={view} onChange={updateView} />
      {message ? (
        <div className="portfolio-message">
          <SuccessMessage onDismiss={() => setMessage(null)}>{message}</SuccessMessage>
        </div>
      ) : null}
      <PortfolioActions
        selected={selected}
        canWrite={canWrite}
        onOpen={(next) => {
          setMessage(null);
          setDialog(next);
        }}
      />

      <div className="portfolio-card">
        {portfolio.isPending ? (
          <PortfolioTableSkeleton />
        ) : portfolio.isError && !data ? (
          <div className="portfolio-card__message">
            <ErrorNotice
              error={portfolio.error}
              title={t('firm.portfolio.loadError')}
              onRetry={() => void portfolio.refetch()}
            />
          </div>
        ) : data && data.items.length === 0 && data.total === 0 ? (
          <div className="portfolio-card__message">
            <Notice
              title={t('firm.portfolio.emptyTitle')}
              actions={
                filtered ? (
                  <button type="button" className="button" onClick={clearFilters}>
                    {t('firm.portfolio.clearFilters')}
                  </button>
                ) : null
              }
            >
              {filtered ? t('firm.portfolio.emptyFiltered') : t('firm.portfolio.emptyPortfolio')}
            </Notice>
          </div>
        ) : data ? (
          <>
            <PortfolioTable
              files={data.items}
              view={view}
              busy={portfolio.isFetching}
              selectedId={selected?.id ?? null}
              onSelect={setSelected}
              onOpen={(file) => navigate(`/dossiers/${file.id}`)}
              onSort={(sort) =>
                updateView({ sort, dir: view.sort === sort && view.dir === 'asc' ? 'desc' : 'asc' })
              }
            />
            <PortfolioPagination
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              busy={portfolio.isFetching}
              onPage={(page) => updateView({ page })}
              onPageSize={(pageSize) => updateView({ pageSize })}
            />
          </>
        ) : null}
      </div>

      {dialog === 'offer' && selected ? (
        <OfferDialog file={selected} onClose={() => setDialog(null)} onDone={finish} />
      ) : null}
      {dialog === 'contact' && selected ? (
        <FileContactDialog
          file={selected}
          onClose={() => setDialog(null)}
          onDone={(contact) =>
            finish(
              <>
                {t('firm.portfolio.contactLinked', {
                  name: `${contact.firstName} ${contact.lastName}`,
                  file: selected.name,
                })}{' '}
                <Link to={`/clients/interlocuteurs?contact=${contact.id}`}>
                  {t('firm.portfolio.proposeNext')}
                </Link>
              </>,
            )
          }
        />
      ) : null}
      {dialog === 'create' || (dialog === 'edit' && selected) ? (
        <FileFormDialog
          file={dialog === 'edit' ? selected : null}
          onClose={() => setDialog(null)}
          onDone={(file, created) =>
            finish(
              created
                ? t('firm.portfolio.fileCreated', { code: file.code, name: file.name })
                : t('firm.portfolio.fileUpdated', { code: file.code, name: file.name }),
            )
          }
        />
      ) : null}
      {dialog === 'import' ? (
        <ImportDialog
          onClose={() => setDialog(null)}
          onDone={(count) => finish(t('firm.portfolio.imported', { count }))}
        />
      ) : null}
    </div>
  );
}
