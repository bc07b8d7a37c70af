/**
 * The languages of the UI, the tray and the notifications, and how the one in use is chosen. Shared by the core (the
 * `language` setting is checked in app/config/settings-check.ts), the contract, main (tray, notifications) and the
 * renderer, so "which language" is decided the same way everywhere. Plain code: the renderer bundles it.
 */

/** English first: it is the fallback for an OS language the agent does not speak. */
export const languages = ['en', 'nl', 'de'] as const;
export type Language = (typeof languages)[number];

/** What Settings stores: a language, or `system` (follow the OS; also what an absent setting means). */
export const languageSettings = ['system', ...languages] as const;
export type LanguageSetting = (typeof languageSettings)[number];

/** Each language in its own words: a user who cannot read the current language must still find theirs. */
export const languageNames: Record<Language, string> = { en: 'English', nl: 'Nederlands', de: 'Deutsch' };

/** The first of the OS's preferred locales ("nl-BE", "de_AT.UTF-8") the agent speaks, else English. */
export function languageFromLocales(locales: readonly string[]): Language {
  for (const locale of locales) {
    const base = locale.toLowerCase().split(/[-_.@]/)[0];
    const found = languages.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}

/** The language in use: the setting when it names one, otherwise the OS's. */
export function resolveLanguage(setting: LanguageSetting | undefined, osLocales: readonly string[]): Language {
  return setting && setting !== 'system' ? setting : languageFromLocales(osLocales);
}

/**
 * The shape a translation must have: the English resource's keys, each with a string. Typing the Dutch and German
 * resources against it makes a missing or extra key a compile error (excess-property checks on the object literals);
 * scripts/ui-texts.test.ts checks the same at run time, plus the placeholders.
 */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

/**
 * A wait in words ("5 minutes", "5 Minuten"), from seconds, in the largest fitting unit: how the window and main's
 * notifications both say how long an account stays locked or a retry waits.
 */
export function durationInWords(seconds: number, locale: string): string {
  const [value, unit] =
    seconds < 120
      ? [Math.round(seconds), 'second']
      : seconds < 7200
        ? [Math.round(seconds / 60), 'minute']
        : seconds < 172_800
          ? [Math.round(seconds / 3600), 'hour']
          : [Math.round(seconds / 86_400), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
