import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon, SearchIcon } from '../../../../components/icons';
import { useDebouncedValue } from '../../../../lib/use-debounced-value';
import { useMediaQuery } from '../../../../lib/use-media-query';
import { useStaffList } from '../../staff/api/use-staff-list';
import type { OfferFilter, PortfolioView } from '../api/portfolio-params';

const searchDelayMs = 200;

interface Props {
  view: PortfolioView;
  onChange: (change: Partial<PortfolioView>) => void;
}

/** Search as you type (debounced), the collaborative-offer filter and the responsible filter. */
export function PortfolioFilters({ view, onChange }: Props) {
  const { t } = useTranslation();
  const searchId = useId();
  const offerId = useId();
  const responsibleId = useId();
  const staff = useStaffList();
  // On a phone the full wording does not fit in the box; the label keeps it for assistive tech.
  const narrow = useMediaQuery('(max-width: 719px)');
  const inputRef = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState(view.q);
  const debounced = useDebouncedValue(search.trim(), searchDelayMs);

  // The address changed under us (back button, "Effacer les filtres"): show what it says.
  useEffect(() => {
    setSearch((current) => (current.trim() === view.q ? current : view.q));
  }, [view.q]);

  const pushSearch = useEffectEvent((q: string) => {
    if (q !== view.q) onChange({ q });
  });
  useEffect(() => pushSearch(debounced), [debounced]);

  const clear = () => {
    setSearch('');
    onChange({ q: '' });
    inputRef.current?.focus();
  };

  return (
    <search className="portfolio-filters" aria-label={t('firm.portfolio.filters')}>
      <div className="portfolio-search">
        <label htmlFor={searchId} className="visually-hidden">
          {t('firm.portfolio.search')}
        </label>
        <SearchIcon className="portfolio-search__icon" />
        <input
          ref={inputRef}
          id={searchId}
          type="search"
          className="input portfolio-search__input"
          placeholder={narrow ? t('firm.portfolio.searchPlaceholder') : t('firm.portfolio.search')}
          value={search}
          maxLength={100}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && search) {
              event.preventDefault();
              clear();
            }
          }}
        />
        {search ? (
          <button type="button" className="portfolio-search__clear" onClick={clear}>
            <CloseIcon size={16} />
            <span className="visually-hidden">{t('firm.portfolio.clearSearch')}</span>
          </button>
        ) : null}
      </div>
      <div className="portfolio-filters__selects">
        <div className="portfolio-filter">
          <label htmlFor={offerId} className="portfolio-filter__label">
            {t('firm.portfolio.offerFilter')}
          </label>
          <select
            id={offerId}
            className="select"
            value={view.offer ?? ''}
            onChange={(event) => onChange({ offer: (event.target.value || null) as OfferFilter | null })}
          >
            <option value="">{t('firm.portfolio.offerAll')}</option>
            <option value="active">{t('firm.portfolio.offerActive')}</option>
            <option value="none">{t('firm.portfolio.offerNone')}</option>
          </select>
        </div>
        {staff.data && staff.data.items.length > 0 ? (
          <div className="portfolio-filter">
            <label htmlFor={responsibleId} className="portfolio-filter__label">
              {t('firm.portfolio.responsibleFilter')}
            </label>
            <select
              id={responsibleId}
              className="select"
              value={view.responsibleId ?? ''}
              onChange={(event) => onChange({ responsibleId: event.target.value || null })}
            >
              <option value="">{t('firm.portfolio.responsibleAll')}</option>
              {staff.data.items.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
    </search>
  );
}
