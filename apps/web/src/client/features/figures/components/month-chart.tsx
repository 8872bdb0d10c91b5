import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../../../lib/use-language';
import { formatCompactEuros, formatEuros, monthName } from './figures-format';

export interface ChartSeries {
  label: string;
  values: number[];
}

const width = 340;
const height = 176;
const pad = { top: 10, right: 6, bottom: 22, left: 46 };
const plotWidth = width - pad.left - pad.right;
const plotHeight = height - pad.top - pad.bottom;

/** Round steps (1, 2, 2.5, 5 × 10^n) so the axis reads 0, 20 k€, 40 k€… */
function niceScale(min: number, max: number): { low: number; high: number; ticks: number[] } {
  const span = max - min || Math.abs(max) || 1;
  const rough = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step || step;
  const ticks: number[] = [];
  for (let tick = low; tick <= high + step / 2; tick += step) ticks.push(Math.round(tick * 100) / 100);
  return { low, high, ticks };
}

/**
 * A month-by-month chart drawn by hand in SVG (no chart library in the client bundle): bars for
 * flows (revenue), a line for balances (cash). The picture is `role="img"` with a spoken summary;
 * the same numbers sit in a visually hidden table for screen readers.
 */
export function MonthChart({
  title,
  summary,
  months,
  current,
  previous,
  variant,
}: {
  title: string;
  summary: string;
  months: string[];
  current: ChartSeries;
  previous: ChartSeries | null;
  variant: 'bars' | 'line';
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const id = useId();
  const all = [...current.values, ...(previous?.values ?? []), 0];
  const { low, high, ticks } = niceScale(Math.min(...all), Math.max(...all));
  const y = (value: number) => pad.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const band = plotWidth / Math.max(months.length, 1);
  const x = (index: number) => pad.left + band * index + band / 2;
  const barWidth = Math.min(previous ? band * 0.36 : band * 0.6, 16);

  const line = (values: number[]) =>
    values
      .map((value, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(value).toFixed(1)}`)
      .join('');

  return (
    <figure className="month-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="month-chart__title">
        {title}
      </figcaption>
      <svg
        className={`month-chart__svg month-chart__svg--${variant}`}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className={tick === 0 ? 'month-chart__zero' : 'month-chart__grid'}
              x1={pad.left}
              x2={width - pad.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text className="month-chart__axis" x={pad.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatCompactEuros(tick, language)}
            </text>
          </g>
        ))}
        {months.map((month, index) => (
          <text key={month} className="month-chart__axis" x={x(index)} y={height - 6} textAnchor="middle">
            {monthName(month, language, 'narrow')}
          </text>
        ))}
        {variant === 'bars' ? (
          <>
            {previous?.values.map((value, index) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: one bar per month, in order
                key={`p${index}`}
                className="month-chart__bar month-chart__bar--previous"
                x={x(index) - barWidth - 1}
                y={Math.min(y(value), y(0))}
                width={barWidth}
                height={Math.max(Math.abs(y(value) - y(0)), 0.5)}
                rx={2}
              />
            ))}
            {current.values.map((value, index) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: one bar per month, in order
                key={`c${index}`}
                className="month-chart__bar"
                x={previous ? x(index) + 1 : x(index) - barWidth / 2}
                y={Math.min(y(value), y(0))}
                width={barWidth}
                height={Math.max(Math.abs(y(value) - y(0)), 0.5)}
                rx={2}
              />
            ))}
          </>
        ) : (
          <>
            {previous ? (
              <path className="month-chart__line month-chart__line--previous" d={line(previous.values)} />
            ) : null}
            <path className="month-chart__line" d={line(current.values)} />
            {current.values.map((value, index) => (
              <circle
                // biome-ignore lint/suspicious/noArrayIndexKey: one point per month, in order
                key={index}
                className="month-chart__point"
                cx={x(index)}
                cy={y(value)}
                r={2.6}
              />
            ))}
          </>
        )}
      </svg>
      <ul className="month-chart__legend" aria-hidden="true">
        <li>
          <span className={`month-chart__swatch month-chart__swatch--${variant}`} />
          {current.label}
        </li>
        {previous ? (
          <li>
            <span
              className={`month-chart__swatch month-chart__swatch--${variant} month-chart__swatch--previous`}
            />
            {previous.label}
          </li>
        ) : null}
      </ul>
      {/* A table ignores the 1px box of .visually-hidden; its wrapper does not. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('client.figures.month')}</th>
              <th scope="col">{current.label}</th>
              {previous ? <th scope="col">{previous.label}</th> : null}
            </tr>
          </thead>
          <tbody>
            {months.map((month, index) => (
              <tr key={month}>
                <th scope="row">{monthName(month, language, 'long')}</th>
                <td>{formatEuros(current.values[index] ?? 0, language)}</td>
                {previous ? (
                  <td>
                    {previous.values[index] === undefined
                      ? t('common.none')
                      : formatEuros(previous.values[index], language)}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
