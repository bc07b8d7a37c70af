import { i18n } from '../i18n/i18n';

/**
 * The one way the UI shows a date or a moment: Intl.DateTimeFormat in the UI's language (the Settings choice or the
 * OS's), never a raw ISO string beside a locale date. Text that is not a date is shown as it came, so a bad value is
 * still visible. Formatters are made once per language.
 */
const formatters = new Map<string, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

function forLanguage() {
  const lng = i18n.language;
  let f = formatters.get(lng);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat(lng, { dateStyle: 'medium' }),
      dateTime: new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }),
    };
    formatters.set(lng, f);
  }
  return f;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : forLanguage().date.format(d);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : forLanguage().dateTime.format(d);
}
