import type { CoreText } from '../../app/model/core-text';
import { renderCoreText } from '../../app/model/core-text-render';
import { formatDateTime } from '../shell/format-date';
import { currentLanguage, i18n, tr, type TextKey } from './i18n';

/**
 * The core's error or warning in the user's language (renderCoreText's rule): its code's sentence
 * (renderer/i18n/locales/<lang>/core.ts) with its values, or the core's English `message` for a code this UI does not
 * know (a newer core) — and `fallback` (the contract's plain English field) when no coded text came at all.
 */
export function coreMessage(text: CoreText | undefined, fallback = ''): string {
  return renderCoreText(
    {
      language: currentLanguage(),
      // A leaf sentence only: a code naming a group ("auth") or nothing known falls back to the English.
      sentence: (code, values) => {
        const key = `core.${code}`;
        return typeof i18n.getResource('en', 'translation', key) === 'string' ? tr(key as TextKey, values) : undefined;
      },
      dateTime: formatDateTime,
    },
    text,
    fallback,
  );
}
