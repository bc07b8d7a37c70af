import type { CoreText, CoreTextValue } from '../../app/model/core-text';
import { durationInWords } from '../../app/model/languages';
import type { MainTexts } from './main-i18n';

/**
 * The core's error or warning in main's language (notifications): the same rule as the window's
 * (renderer/i18n/core-text.ts) — its code's sentence with its values (a wait in words, a moment as a local date and
 * time, a nested text translated), the core's English `message` for a code this build does not know, and `fallback`
 * (the plain English field) when no coded text came at all.
 */
export function coreMessage(texts: MainTexts, text: CoreText | undefined, fallback = ''): string {
  if (!text) return fallback;
  const shown = (name: string, value: CoreTextValue): string | number => {
    // A nested sentence sits inside another one: its own full stop would double the outer one's ("…vol.. Er").
    if (typeof value === 'object') return coreMessage(texts, value).replace(/\.$/, '');
    if (name === 'seconds' && typeof value === 'number') return durationInWords(value, texts.language);
    if (name === 'at' && typeof value === 'string') return texts.formatDate(value, true);
    return value;
  };
  const values = Object.fromEntries(Object.entries(text.params ?? {}).map(([k, v]) => [k, shown(k, v)]));
  return texts.coreSentence(text.code, values) ?? (text.message || fallback);
}
