import { useTranslation } from 'react-i18next';
import { type Language, toLanguage } from '../i18n/i18n';

/** The active language; the caller re-renders when the person switches it. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return toLanguage(i18n.resolvedLanguage);
}
