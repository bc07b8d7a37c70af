import type { CoreText, CoreTextValue } from '../../app/model/core-text';
import { durationInWords } from '../../app/model/languages';
import { formatDateTime } from '../shell/format-date';
import { currentLanguage, i18n, tr, type TextKey } from './i18n';

/** One value as the sentence shows it: a wait in words, a moment as a local date and time, a nested text translated. */
function shown(name: string, value: CoreTextValue): string | number {
  // A nested sentence sits inside another one: its own full stop would double the outer sentence's ("…vol.. Er").
  if (typeof value === 'object') return coreMessage(value).replace(/\.$/, '');
  if (name === 'seconds' && typeof value === 'number') return durationInWords(value, currentLanguage());
  if (name === 'at' && typeof value === 'string') return formatDateTime(value);
  return value;
}

/**
 * The core's error or warning in the user's language: its code's sentence (renderer/i18n/locales/<lang>/core.ts)
 * with its values, or the core's English `message` for a code this UI does not know (a newer core) — and `fallback`
 * (the contract's plain English field) when no coded text came at all (an older core, a sentence not yet coded).
 */
export function coreMessage(text: CoreText | undefined, fallback = ''): string {
  if (!text) return fallback;
  const key = `core.${text.code}`;
  // A leaf sentence only: a code naming a group ("auth") or nothing known falls back to the English.
  if (typeof i18n.getResource('en', 'translation', key) !== 'string') return text.message || fallback;
  const values = Object.fromEntries(Object.entries(text.params ?? {}).map(([k, v]) => [k, shown(k, v)]));
  return tr(key as TextKey, values);
}
