import { useTranslation } from 'react-i18next';
import { changeLanguage, languages } from '../i18n/i18n';
import { useLanguage } from '../lib/use-language';
import './language-toggle.css';

/** FR | EN switch; the choice is remembered on this device. */
export function LanguageToggle({ tone = 'light' }: { tone?: 'light' | 'dark' }) {
  const { t } = useTranslation();
  const active = useLanguage();
  return (
    <fieldset className={`language-toggle language-toggle--${tone}`}>
      <legend className="visually-hidden">{t('common.language')}</legend>
      {languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="language-toggle__option"
          aria-pressed={active === language}
          title={t(`common.languageNames.${language}`)}
          onClick={() => changeLanguage(language)}
        >
          {language.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}
