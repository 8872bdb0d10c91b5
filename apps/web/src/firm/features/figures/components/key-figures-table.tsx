import type { FileFigures, KeyFigures } from '@passerelle/contracts/figures';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { formatEuros, formatVariation, variationOf } from './figures-format';

/** The figures shown, in the order of the soldes intermédiaires de gestion, then the balance sheet. */
const rows = [
  'revenue',
  'commercialMargin',
  'valueAdded',
  'grossOperatingSurplus',
  'operatingIncome',
  'netIncome',
  'cash',
  'netCash',
  'receivables',
  'payables',
  'vatCollected',
  'vatDeductible',
] as const satisfies readonly (keyof KeyFigures)[];

/** Key figures of the chosen year against the year before, with the change. */
export function KeyFiguresTable({ figures }: { figures: FileFigures }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const current = figures.current;
  if (!current) return null;
  const previous = figures.previous;
  return (
    <div className="data-table-scroll">
      <table className="data-table key-figures">
        <caption className="visually-hidden">{t('firm.figures.keyFigures.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('firm.figures.keyFigures.columns.figure')}</th>
            <th scope="col" className="is-end">
              {t('firm.figures.keyFigures.columns.closing', {
                date: formatDate(current.fiscalYear.end, language),
              })}
            </th>
            <th scope="col" className="is-end">
              {previous
                ? t('firm.figures.keyFigures.columns.closing', {
                    date: formatDate(previous.fiscalYear.end, language),
                  })
                : t('firm.figures.keyFigures.columns.previous')}
            </th>
            <th scope="col" className="is-end">
              {t('firm.figures.keyFigures.columns.variation')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((key) => {
            const value = current.figures[key];
            const before = previous?.figures[key];
            const variation = variationOf(value, before);
            return (
              <tr
                key={key}
                className={key === 'netIncome' || key === 'revenue' ? 'key-figures__main' : undefined}
              >
                <th scope="row" className="key-figures__label">
                  {t(`firm.figures.keyFigures.labels.${key}`)}
                </th>
                <td className="is-end is-nowrap key-figures__current" data-figure={key}>
                  {formatEuros(value, language)}
                </td>
                <td className="is-end is-nowrap is-muted">
                  {before === undefined ? t('common.none') : formatEuros(before, language)}
                </td>
                <td className="is-end is-nowrap">
                  {variation === null ? (
                    <span className="is-muted">{t('common.none')}</span>
                  ) : (
                    <span className={`key-figures__variation ${trendClass(key, variation)}`}>
                      <span aria-hidden="true">{variation > 0 ? '▲' : variation < 0 ? '▼' : '='}</span>{' '}
                      {formatVariation(variation, language)}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {previous ? null : (
        <p className="tile__muted key-figures__note">{t('firm.figures.keyFigures.noPrevious')}</p>
      )}
    </div>
  );
}

/** Green when the change is good for the company: more revenue, but fewer payables. */
function trendClass(key: (typeof rows)[number], variation: number): string {
  if (variation === 0 || key === 'vatCollected' || key === 'vatDeductible') return '';
  const good = key === 'payables' ? variation < 0 : variation > 0;
  return good ? 'is-up' : 'is-down';
}
