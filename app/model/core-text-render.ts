import type { CoreText, CoreTextValue } from './core-text';
import { durationInWords } from './languages';

/** What rendering a coded core text needs from a UI: its language, its sentences, its date format. */
export interface CoreTextFormat {
  language: string;
  /** The code's sentence with its values, or undefined when this build has no leaf sentence for the code. */
  sentence(code: string, values: Record<string, string | number>): string | undefined;
  /** A moment (ISO) as a local date and time. */
  dateTime(iso: string): string;
}

/**
 * The core's error or warning in the user's language, by one rule for the window (renderer/i18n/core-text.ts) and
 * main's notifications (main/i18n/core-message.ts): the code's sentence with its values (a wait in words, a moment
 * as a local date and time, a nested text rendered the same way), the core's English `message` for a code this build
 * does not know (a newer core), and `fallback` (the plain English field) when no coded text came at all.
 */
export function renderCoreText(format: CoreTextFormat, text: CoreText | undefined, fallback = ''): string {
  if (!text) return fallback;
  const shown = (name: string, value: CoreTextValue): string | number => {
    // A nested sentence sits inside another one: its own full stop would double the outer one's ("…vol.. Er").
    if (typeof value === 'object') return renderCoreText(format, value).replace(/\.$/, '');
    // By name: `seconds` or `…Seconds` is a wait or span in words, `at` or `…At` a moment as a local date and time.
    if (/^seconds$|Seconds$/.test(name) && typeof value === 'number') return durationInWords(value, format.language);
    if (/^at$|At$/.test(name) && typeof value === 'string') return format.dateTime(value);
    return value;
  };
  const values = Object.fromEntries(Object.entries(text.params ?? {}).map(([k, v]) => [k, shown(k, v)]));
  return format.sentence(text.code, values) ?? (text.message || fallback);
}
