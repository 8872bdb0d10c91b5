import { useTranslation } from 'react-i18next';
import { ChevronLeftIcon, ChevronRightIcon } from '../../components/icons';
import { formatCount } from '../../lib/format';
import { useLanguage } from '../../lib/use-language';

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  busy?: boolean;
  label: string;
  onPage: (page: number) => void;
}

/** "1–50 sur 134", previous / next: the footer of a paginated table. */
export function Pager({ page, pageSize, total, busy = false, label, onPage }: PagerProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(page * pageSize, total);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="data-card__footer pager" aria-label={label}>
      <p className="pager__range" aria-live="polite">
        {from > to
          ? t('firm.portfolio.rangeEmpty')
          : t('firm.portfolio.range', {
              from: formatCount(from, language),
              to: formatCount(to, language),
              total: formatCount(total, language),
            })}
        {busy ? <span className="pager__busy"> · {t('firm.portfolio.refreshing')}</span> : null}
      </p>
      {lastPage > 1 ? (
        <div className="pager__buttons">
          <button
            type="button"
            className="button"
            disabled={page <= 1}
            aria-label={t('firm.portfolio.previousPage')}
            onClick={() => onPage(page - 1)}
          >
            <ChevronLeftIcon size={16} />
          </button>
          <button
            type="button"
            className="button"
            disabled={page >= lastPage}
            aria-label={t('firm.portfolio.nextPage')}
            onClick={() => onPage(page + 1)}
          >
            <ChevronRightIcon size={16} />
          </button>
        </div>
      ) : null}
    </nav>
  );
}
