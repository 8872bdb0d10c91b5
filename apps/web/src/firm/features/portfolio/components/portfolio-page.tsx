import type { ClientFile } from '@passerelle/contracts/portfolio';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { formatCount } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import {
  hasFilters,
  type PortfolioView,
  readPortfolioView,
  toPortfolioQuery,
  writePortfolioView,
} from '../api/portfolio-params';
import { usePortfolio } from '../api/use-portfolio';
import { PortfolioActions } from './portfolio-actions';
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
    // The selection only makes sense on a row the person can see.
    setSelected((current) => (current && data.items.some((file) => file.id === current.id) ? current : null));
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
      <PortfolioActions selected={selected} />

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
    </div>
  );
}
