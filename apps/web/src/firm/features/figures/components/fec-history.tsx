import type { FecImport } from '@passerelle/contracts/figures';
import { useTranslation } from 'react-i18next';
import { formatCount, formatDate, formatDateTime } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';

/** Every import attempt, accepted or refused, with a way to open its report. */
export function FecHistory({
  items,
  openedId,
  onOpen,
}: {
  items: FecImport[];
  openedId: string | null;
  onOpen: (importId: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="data-table-scroll">
      <table className="data-table fec-history">
        <caption className="visually-hidden">{t('firm.figures.history.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('firm.figures.history.columns.date')}</th>
            <th scope="col">{t('firm.figures.history.columns.file')}</th>
            <th scope="col">{t('firm.figures.history.columns.fiscalYear')}</th>
            <th scope="col">{t('firm.figures.history.columns.status')}</th>
            <th scope="col" className="is-end">
              {t('firm.figures.history.columns.lines')}
            </th>
            <th scope="col">{t('firm.figures.history.columns.by')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('firm.figures.history.columns.report')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} aria-current={item.id === openedId || undefined}>
              <td className="is-nowrap">{formatDateTime(item.importedAt, language)}</td>
              <td className="fec-history__name">{item.originalName}</td>
              <td className="is-nowrap">
                {item.fiscalYear
                  ? t('firm.figures.fiscalYearRange', {
                      start: formatDate(item.fiscalYear.start, language),
                      end: formatDate(item.fiscalYear.end, language),
                    })
                  : t('firm.figures.history.unknownYear')}
              </td>
              <td className="is-nowrap">
                {item.status === 'accepted' ? (
                  <span className={`badge ${item.current ? 'badge--success' : ''}`}>
                    {item.current
                      ? t('firm.figures.history.status.current')
                      : t('firm.figures.history.status.replaced')}
                  </span>
                ) : (
                  <span className="badge badge--danger">{t('firm.figures.history.status.refused')}</span>
                )}
              </td>
              <td className="is-end">{formatCount(item.lineCount, language)}</td>
              <td>{item.importedBy?.name || t('common.none')}</td>
              <td className="is-end">
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => onOpen(item.id)}
                  aria-label={t('firm.figures.history.viewReportOf', {
                    name: item.originalName,
                    date: formatDateTime(item.importedAt, language),
                  })}
                >
                  {t('firm.figures.history.viewReport')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
