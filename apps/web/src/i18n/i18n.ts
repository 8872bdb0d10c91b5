import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';

export const languages = ['fr', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'passerelle.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : 'fr';
  } catch {
    // Storage can be disabled (private browsing, policies): French is the default anyway.
    return 'fr';
  }
}

function applyLanguage(language: Language) {
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered across visits; the page still switches.
  }
}

/** Texts one space adds to the shared ones (the back office's, under `firm`), per language. */
export type ExtraMessages = Record<Language, Record<string, unknown>>;

/**
 * Bundled resources, so initialisation is synchronous and the first render is already translated.
 * Each space passes its own texts: the client space never downloads the back office's.
 */
export function initI18n(extra?: ExtraMessages): typeof i18next {
  const language = readStoredLanguage();
  i18next.use(initReactI18next).init({
    resources: {
      fr: { translation: { ...fr, ...extra?.fr } },
      en: { translation: { ...en, ...extra?.en } },
    },
    lng: language,
    fallbackLng: 'fr',
    supportedLngs: languages,
    initAsync: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (next) => {
    if (isLanguage(next)) applyLanguage(next);
  });
  return i18next;
}

/** Any language tag i18next reports, narrowed to one we ship (French when in doubt). */
export function toLanguage(value: string | undefined): Language {
  return isLanguage(value) ? value : 'fr';
}

export function changeLanguage(language: Language): void {
  void i18next.changeLanguage(language);
}

/** BCP 47 locale for Intl formatting. */
export function localeOf(language: Language): string {
  return language === 'fr' ? 'fr-FR' : 'en-GB';
}
