import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronLeftIcon, ChevronRightIcon } from '../../../../components/icons';
import { formatCount } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { pageSizes } from '../api/portfolio-params';

interface Props {
  page: number;
  pageSize: number;
  total: number;
  busy: boolean;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}

/** "1–50 sur 1 234", rows per page, previous / next. */
export function PortfolioPagination({ page, pageSize, total, busy, onPage, onPageSize }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const sizeId = useId();
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(page * pageSize, total);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));

  return (
    <nav className="portfolio-pagination" aria-label={t('firm.portfolio.pagination')}>
      <p className="portfolio-pagination__range" aria-live="polite">
        {from > to
          ? t('firm.portfolio.rangeEmpty')
          : t('firm.portfolio.range', {
              from: formatCount(from, language),
              to: formatCount(to, language),
              total: formatCount(total, language),
            })}
        {busy ? (
          <span className="portfolio-pagination__busy"> · {t('firm.portfolio.refreshing')}</span>
        ) : null}
      </p>
      <div className="portfolio-pagination__size">
        <label htmlFor={sizeId}>{t('firm.portfolio.pageSize')}</label>
        <select
          id={sizeId}
          className="select"
          value={pageSize}
          onChange={(event) => onPageSize(Number(event.target.value))}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="portfolio-pagination__buttons">
        <button
          type="button"
          className="button"
          disabled={page <= 1}
          aria-label={t('firm.portfolio.previousPage')}
          onClick={() => onPage(page - 1)}
        >
          <ChevronLeftIcon size={16} />
          <span className="portfolio-pagination__label">{t('firm.portfolio.previous')}</span>
        </button>
        <button
          type="button"
          className="button"
          disabled={page >= lastPage}
          aria-label={t('firm.portfolio.nextPage')}
          onClick={() => onPage(page + 1)}
        >
          <span className="portfolio-pagination__label">{t('firm.portfolio.next')}</span>
          <ChevronRightIcon size={16} />
        </button>
      </div>
    </nav>
  );
}
