import type { KeyFigures, YearFigures } from '@passerelle/contracts/figures';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../../components/notice';
import { ApiError } from '../../../../lib/api';
import { formatDate, formatDay } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { useLoad } from '../../../../lib/use-load';
import { fetchClientFigures } from '../api/client-figures';
import { fiscalYearLabel, formatEuros, formatPercent, monthName, variationOf } from './figures-format';
import { type ChartSeries, MonthChart } from './month-chart';
import './client-figures.css';

type CardKey = 'revenue' | 'netIncome' | 'netCash' | 'receivables' | 'payables';
const cards: CardKey[] = ['revenue', 'netIncome', 'netCash', 'receivables', 'payables'];
/** For these, less is better: a drop shows in green. */
const lowerIsBetter = new Set<CardKey>(['payables']);

/**
 * Chiffres clés of the client dashboard: the latest fiscal year's figures against the year
 * before, and the months' revenue and cash. A contact who may not see them (limited to some
 * folders, figures not allowed) gets "not found": the section then stays out of the page.
 */
export function ClientFigures({ fileId }: { fileId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const load = useLoad(`figures:${fileId}`, (signal) => fetchClientFigures(fileId, signal));
  const hidden = load.error instanceof ApiError && (load.error.status === 404 || load.error.status === 403);
  if (hidden) return null;
  const current = load.data?.current ?? null;
  const previous = load.data?.previous ?? null;

  return (
    <section className="client-figures" aria-labelledby="client-figures-title">
      <div className="client-figures__head">
        <h2 id="client-figures-title" className="client-figures__title">
          {t('client.figures.title')}
        </h2>
        {current ? (
          <p className="client-figures__meta">
            {t('client.figures.fiscalYear', {
              start: formatDate(current.fiscalYear.start, language),
              end: formatDate(current.fiscalYear.end, language),
            })}
            <br />
            {t('client.figures.importedAt', { date: formatDay(current.importedAt, language) })}
          </p>
        ) : null}
      </div>
      {load.error ? (
        <ErrorNotice error={load.error} onRetry={load.reload} />
      ) : !load.data ? (
        <p className="client-figures__muted" role="status">
          {t('common.loading')}
        </p>
      ) : !current ? (
        <p className="client-figures__empty">{t('client.figures.empty')}</p>
      ) : (
        <>
          <ul className="client-figures__cards">
            {cards.map((key) => (
              <FigureCard key={key} figure={key} current={current} previous={previous} />
            ))}
          </ul>
          <FigureCharts current={current} previous={previous} />
        </>
      )}
    </section>
  );
}

function FigureCard({
  figure,
  current,
  previous,
}: {
  figure: CardKey;
  current: YearFigures;
  previous: YearFigures | null;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const value = current.figures[figure];
  const before = previous?.figures[figure];
  const variation = variationOf(value, before);
  const label = t(`client.figures.cards.${figure}`);
  const direction =
    variation === null ? null : variation > 0.0005 ? 'up' : variation < -0.0005 ? 'down' : 'flat';
  const good =
    direction === null || direction === 'flat' ? null : (direction === 'up') !== lowerIsBetter.has(figure);
  return (
    <li className={`figure-card figure-card--${figure}`}>
      <span className="figure-card__label">{label}</span>
      <span className="figure-card__value" data-figure={figure}>
        {formatEuros(value, language)}
      </span>
      {before !== undefined && previous ? (
        <span className="figure-card__compare">
          {direction ? (
            <span
              className={`figure-card__trend ${good === null ? '' : good ? 'is-good' : 'is-bad'}`}
              role="img"
              aria-label={t(`client.figures.trend.${direction}`, {
                percent: formatPercent(variation ?? 0, language),
              })}
            >
              <span aria-hidden="true">{direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▬'}</span>
              {direction === 'flat' ? null : (
                <span aria-hidden="true"> {formatPercent(variation ?? 0, language)}</span>
              )}
            </span>
          ) : null}
          <span className="figure-card__previous">
            {t('client.figures.previousValue', {
              year: fiscalYearLabel(previous.fiscalYear),
              value: formatEuros(before, language),
            })}
          </span>
        </span>
      ) : null}
    </li>
  );
}

function FigureCharts({ current, previous }: { current: YearFigures; previous: YearFigures | null }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const months = current.byMonth.map((month) => month.month);
  const series = (year: YearFigures, key: keyof Pick<KeyFigures, 'revenue' | 'netCash'>): ChartSeries => ({
    label: t('client.figures.yearLabel', { year: fiscalYearLabel(year.fiscalYear) }),
    // The previous year aligned month by month on the current one (same position in the year).
    values: months.map((_, index) => year.byMonth[index]?.[key] ?? 0),
  });
  const describe = (key: 'revenue' | 'netCash', chart: 'revenueChart' | 'cashChart') => {
    const values = current.byMonth.map((month) => month[key]);
    const top = values.indexOf(Math.max(...values));
    const bottom = values.indexOf(Math.min(...values));
    const summary = t(`client.figures.${chart}.summary`, {
      year: fiscalYearLabel(current.fiscalYear),
      high: monthName(months[top] ?? '', language, 'long'),
      highValue: formatEuros(values[top] ?? 0, language),
      low: monthName(months[bottom] ?? '', language, 'long'),
      lowValue: formatEuros(values[bottom] ?? 0, language),
      last: formatEuros(values.at(-1) ?? 0, language),
    });
    return previous
      ? `${summary} ${t('client.figures.comparedWith', { year: fiscalYearLabel(previous.fiscalYear) })}`
      : summary;
  };
  return (
    <div className="client-figures__charts">
      <MonthChart
        variant="bars"
        title={t('client.figures.revenueChart.title')}
        summary={describe('revenue', 'revenueChart')}
        months={months}
        current={series(current, 'revenue')}
        previous={previous ? series(previous, 'revenue') : null}
      />
      <MonthChart
        variant="line"
        title={t('client.figures.cashChart.title')}
        summary={describe('netCash', 'cashChart')}
        months={months}
        current={series(current, 'netCash')}
        previous={previous ? series(previous, 'netCash') : null}
      />
    </div>
  );
}
