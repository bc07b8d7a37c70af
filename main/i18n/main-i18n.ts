import i18next, { type i18n as I18n, type TOptions } from 'i18next';
import { languages, resolveLanguage, type Language, type LanguageSetting } from '../../app/model/languages';
// The core's coded sentences (app/model/core-text.ts) are the renderer's data files: one translation for the window
// and for main's notifications, checked by scripts/core-texts.test.ts. Plain objects; nothing else of renderer/ comes along.
import { core as coreDe } from '../../renderer/i18n/locales/de/core';
import { core as coreEn } from '../../renderer/i18n/locales/en/core';
import { core as coreNl } from '../../renderer/i18n/locales/nl/core';
import { de } from './locales/de';
import { en, type MainTextsResource } from './locales/en';
import { nl } from './locales/nl';

type Base<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;
type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${Base<K>}` : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MainTextKey = Keys<MainTextsResource>;

/**
 * Main's texts (tray, notifications, sign-in window) in the language the user chose in Settings, else the OS's
 * (Electron's app.getPreferredSystemLanguages/getLocale, passed in as `osLocales`). Its own i18next instance: main and
 * the renderer are separate bundles and processes; they share only the language rule (app/model/languages.ts).
 * The tray subscribes with onChange to re-render when the setting changes.
 */
export class MainTexts {
  private readonly i18n: I18n = i18next.createInstance();
  private readonly listeners = new Set<() => void>();
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly osLocales: () => readonly string[],
    setting?: LanguageSetting,
  ) {
    void this.i18n.init({
      resources: {
        en: { translation: { ...en, ...coreEn } },
        nl: { translation: { ...nl, ...coreNl } },
        de: { translation: { ...de, ...coreDe } },
      },
      lng: resolveLanguage(setting, osLocales()),
      fallbackLng: 'en',
      supportedLngs: [...languages],
      initAsync: false,
      interpolation: { escapeValue: false }, // plain text for the OS, not HTML
      nsSeparator: false,
    });
  }

  get language(): Language {
    return (languages as readonly string[]).includes(this.i18n.language) ? (this.i18n.language as Language) : 'en';
  }

  t(key: MainTextKey, options?: TOptions): string {
    return this.i18n.t(key, options as TOptions) as string;
  }

  /**
   * The core's sentence for `code` (app/model/core-text.ts) in the current language with its values already shown,
   * or undefined for a code this build has no sentence for (a group name, a newer core): the caller keeps the English.
   */
  coreSentence(code: string, values: Record<string, string | number>): string | undefined {
    const key = `core.${code}`;
    if (typeof this.i18n.getResource('en', 'translation', key) !== 'string') return undefined;
    return this.i18n.t(key, values) as string;
  }

  /** A date (ISO), with the time if asked, in the current language; a value that is not a date is shown as it came. */
  formatDate(iso: string, withTime = false): string {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    const id = `${this.language}${withTime ? '+time' : ''}`;
    let f = this.dates.get(id);
    if (!f) {
      f = new Intl.DateTimeFormat(this.language, { dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' as const } : {}) });
      this.dates.set(id, f);
    }
    return f.format(d);
  }

  /** Follow a (new) Settings value; listeners hear only of a real change. */
  apply(setting: LanguageSetting | undefined): void {
    const next = resolveLanguage(setting, this.osLocales());
    if (next === this.language) return;
    void this.i18n.changeLanguage(next);
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** English texts, for callers and tests that do not pass their own. */
export const englishTexts = (): MainTexts => new MainTexts(() => ['en'], 'en');
