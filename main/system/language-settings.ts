import type { RequestHandlers } from '../../app/ipc/dispatcher';
import type { LanguageSetting } from '../../app/model/languages';

/**
 * The language setting is the core's; the tray and the notifications are main's. Wrap settings:set so main's texts
 * follow a saved change at once (the renderer follows it by itself from the settings it gets back).
 */
export function withLanguage(
  handlers: RequestHandlers,
  texts: { apply(setting: LanguageSetting | undefined): void },
): RequestHandlers {
  return {
    ...handlers,
    'settings:set': async (patch) => {
      const saved = await handlers['settings:set'](patch);
      texts.apply(saved.language);
      return saved;
    },
  };
}

/** The OS's preferred languages as Electron reports them (getPreferredSystemLanguages, then the app locale). */
export function electronLocales(app: { getPreferredSystemLanguages?: () => string[]; getLocale?: () => string }): string[] {
  return [...(app.getPreferredSystemLanguages?.() ?? []), ...(app.getLocale ? [app.getLocale()] : [])];
}
