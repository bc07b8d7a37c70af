import i18next, { type TOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { languageFromLocales, languages, resolveLanguage, type Language, type LanguageSetting } from '../../app/model/languages';
import { de } from './locales/de';
import { en, type Texts } from './locales/en';
import { nl } from './locales/nl';

/**
 * The renderer's one i18next instance. Resources are bundled (three small objects), so init is synchronous and the
 * first render is already in the OS language; the Settings override is applied by useLanguage() once settings arrive.
 */
export const resources = { en: { translation: en }, nl: { translation: nl }, de: { translation: de } } as const;

/** The browser's preferred languages; `globalThis` because e2e and scripts load this module under Node too. */
function osLocales(): readonly string[] {
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  if (nav?.languages?.length) return nav.languages;
  return nav?.language ? [nav.language] : [];
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: languageFromLocales(osLocales()),
  fallbackLng: 'en',
  supportedLngs: [...languages],
  initAsync: false,
  // React escapes text itself; i18next's HTML escaping would show "&quot;" around a quoted name.
  interpolation: { escapeValue: false },
  // Keys never name a namespace; a ":" in a key would otherwise be read as one.
  nsSeparator: false,
});

/** The language in use now. */
export const currentLanguage = (): Language =>
  (languages as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en';

/** Switch to what the setting says (a language, or the OS's); also the page's `lang` for screen readers. */
export function applyLanguageSetting(setting: LanguageSetting | undefined): Language {
  const lng = resolveLanguage(setting, osLocales());
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
  const doc = (globalThis as { document?: { documentElement: { lang: string } } }).document;
  if (doc) doc.documentElement.lang = lng;
  return lng;
}

/** The OS's language as the agent speaks it (what "System default" means here). */
export const systemLanguage = (): Language => languageFromLocales(osLocales());

/** Plural and context suffixes are chosen by i18next from `count`/`context`; callers name the key without them. */
type Base<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'other' | 'expired' | 'requested' | 'reason'}` ? B : K;
type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${Base<K>}` : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];
/** Every text's key, e.g. `nav.unread` (a typo is a compile error). */
export type TextKey = Keys<Texts>;

/** A text in the current language. */
export function tr(key: TextKey, options?: TOptions): string {
  return i18n.t(key, options as TOptions) as string;
}
