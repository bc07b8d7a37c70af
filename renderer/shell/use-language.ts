import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { applyLanguageSetting, i18n } from '../i18n/i18n';
import { useApp } from '../state/context';

/**
 * The window's language: the Settings choice, else the OS's (navigator.languages). Called once at the root of each
 * window. useTranslation re-renders the root when the language changes, and with it every component below (none is
 * memoised), so texts read through `strings`/`tr` switch at once without each component subscribing.
 */
export function useLanguage(): void {
  const setting = useApp((s) => s.settings?.language);
  useTranslation(undefined, { i18n });
  useEffect(() => {
    applyLanguageSetting(setting);
  }, [setting]);
}
