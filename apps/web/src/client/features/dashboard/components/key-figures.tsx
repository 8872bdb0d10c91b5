import { useTranslation } from 'react-i18next';
import { localeOf } from '../../../../i18n/i18n';
import { numberFormat } from '../../../../lib/intl';
import { useLanguage } from '../../../../lib/use-language';
import type { KeyFigure } from '../api/client-dashboard';

/** Chiffres clés: amounts in euros, with the change against the previous fiscal year when known. */
export function KeyFigures({ figures }: { figures: KeyFigure[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const euros = numberFormat(localeOf(language), {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: 0,
  });
  const percent = numberFormat(localeOf(language), {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  return (
    <dl className="key-figures">
      {figures.map((figure) => {
        const change =
          figure.previous !== null && figure.previous !== 0
            ? (figure.value - figure.previous) / Math.abs(figure.previous)
            : null;
        return (
          <div key={figure.key} className="key-figures__item">
            <dt>{t(`client.dashboard.figures.${figure.key}`)}</dt>
            <dd className="key-figures__value">{euros.format(figure.value)}</dd>
            {change !== null ? (
              <dd className={`key-figures__change${change < 0 ? ' key-figures__change--down' : ''}`}>
                {t('client.dashboard.figures.vsPrevious', { change: percent.format(change) })}
              </dd>
            ) : null}
          </div>
        );
      })}
    </dl>
  );
}
