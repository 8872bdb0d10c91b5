import type { ClientFile } from '@passerelle/contracts/portfolio';
import { useTranslation } from 'react-i18next';

/** Actions on the selected file. The collaborative-offer dialog opens from here (next release). */
export function PortfolioActions({ selected }: { selected: ClientFile | null }) {
  const { t } = useTranslation();
  return (
    <div className="portfolio-actions" role="toolbar" aria-label={t('firm.portfolio.actions')}>
      <button
        type="button"
        className="button button--primary"
        disabled={selected === null}
        aria-haspopup="dialog"
      >
        {t('firm.portfolio.offerButton')}
      </button>
      <p className="portfolio-actions__selection" aria-live="polite">
        {selected
          ? t('firm.portfolio.selected', { code: selected.code, name: selected.name })
          : t('firm.portfolio.noSelection')}
      </p>
    </div>
  );
}
