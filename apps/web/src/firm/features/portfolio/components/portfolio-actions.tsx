import type { ClientFile } from '@passerelle/contracts/portfolio';
import { useTranslation } from 'react-i18next';
import { PencilIcon, PlusIcon, UploadIcon, UserPlusIcon } from '../../../../components/icons';

export type PortfolioDialog = 'offer' | 'contact' | 'create' | 'edit' | 'import';

interface Props {
  selected: ClientFile | null;
  canWrite: boolean;
  onOpen: (dialog: PortfolioDialog) => void;
}

/** Actions on the selected file (offer, contact, edit), and on the portfolio (new file, import). */
export function PortfolioActions({ selected, canWrite, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <div className="portfolio-actions" role="toolbar" aria-label={t('firm.portfolio.actions')}>
      {canWrite ? (
        <>
          <button
            type="button"
            className="button button--primary"
            disabled={selected === null}
            aria-haspopup="dialog"
            onClick={() => onOpen('offer')}
          >
            {t('firm.portfolio.offerButton')}
          </button>
          <button
            type="button"
            className="button"
            disabled={selected === null}
            aria-haspopup="dialog"
            onClick={() => onOpen('contact')}
          >
            <UserPlusIcon size={16} />
            {t('firm.portfolio.contactButton')}
          </button>
          <button
            type="button"
            className="button"
            disabled={selected === null}
            aria-haspopup="dialog"
            onClick={() => onOpen('edit')}
          >
            <PencilIcon size={16} />
            {t('firm.portfolio.editButton')}
          </button>
        </>
      ) : null}
      <p className="portfolio-actions__selection" aria-live="polite">
        {selected
          ? t('firm.portfolio.selected', { code: selected.code, name: selected.name })
          : t('firm.portfolio.noSelection')}
      </p>
      {canWrite ? (
        <div className="portfolio-actions__end">
          <button type="button" className="button" aria-haspopup="dialog" onClick={() => onOpen('create')}>
            <PlusIcon size={16} />
            {t('firm.portfolio.createButton')}
          </button>
          <button type="button" className="button" aria-haspopup="dialog" onClick={() => onOpen('import')}>
            <UploadIcon size={16} />
            {t('firm.portfolio.importButton')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
