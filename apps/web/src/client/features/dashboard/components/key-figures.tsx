import { useTranslation } from 'react-i18next';
import { type Language, localeOf } from '../../../../i18n/i18n';
import { useLanguage } from '../../../../lib/use-language';
import type { KeyFigure } from '../api/client-dashboard';

const formats = new Map<Language, { euros: Intl.NumberFormat; percent: Intl.NumberFormat }>();

/** Whole euros and signed percentages, created once per language (not at every render). */
function formatsFor(language: Language) {
  let pair = formats.get(language);
  if (!pair) {
    const locale = localeOf(language);
    pair = {
      euros: new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }),
      percent: new Intl.NumberFormat(locale, {
        style: 'percent',
        maximumFractionDigits: 1,
        signDisplay: 'exceptZero',
      }),
    };
    formats.set(language, pair);
  }
  return pair;
}

/** Chiffres clés: amounts in euros, with the change against the previous fiscal year when known. */
export function KeyFigures({ figures }: { figures: KeyFigure[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { euros, percent } = formatsFor(language);
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
