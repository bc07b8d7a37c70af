import type { Settings } from '../ipc/contract';
import { languageSettings } from '../model/languages';
import { storeIdsFor } from '../stores/catalog-ids';

/**
 * settings.json checked key by key, so one bad value (a hand-edited `"stores": ["file", "foo"]`, a log level
 * from a newer version) costs only that value: it is dropped with a problem in words and the caller's default
 * is used, while every other setting keeps working. A store id this platform does not know never reaches the
 * store registry, which would refuse the whole list (and with it every request that touches certificates).
 */

export interface SettingsCheck {
  /** The keys whose values are valid (the caller fills the rest with its defaults). */
  valid: Partial<Settings>;
  /** What the file should hold from now on: the valid keys, plus keys this version does not know (kept for newer ones). */
  cleaned: Record<string, unknown>;
  /** One sentence per dropped value ("stores: unknown store "foo"; …"); empty when the file is fine. */
  problems: string[];
}

const logLevels: readonly Settings['logLevel'][] = ['error', 'warn', 'info', 'debug'];
const themes: readonly Settings['theme'][] = ['system', 'light', 'dark'];
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

type KeyCheck = (value: unknown, platform: NodeJS.Platform) => { value?: unknown; problems: string[] };

const oneOf =
  (allowed: readonly string[]): KeyCheck =>
  (v) =>
    typeof v === 'string' && allowed.includes(v)
      ? { value: v, problems: [] }
      : { problems: [`expected one of ${allowed.join(', ')}, got ${show(v)}`] };

const bool: KeyCheck = (v) =>
  typeof v === 'boolean' ? { value: v, problems: [] } : { problems: [`expected true or false, got ${show(v)}`] };

/** Each listed store is checked on its own: the known ones are kept, the others named. */
const stores: KeyCheck = (v, platform) => {
  if (!Array.isArray(v)) return { problems: [`expected a list of store ids, got ${show(v)}`] };
  const known = storeIdsFor(platform);
  const kept: string[] = [];
  const problems: string[] = [];
  for (const id of v) {
    if (typeof id !== 'string' || !known.includes(id))
      problems.push(`unknown certificate store ${show(id)} (stores on this computer: ${known.join(', ')})`);
    else if (!kept.includes(id)) kept.push(id);
  }
  if (kept.length === 0) return { problems: [...problems, 'no certificate store left enabled'] };
  return { value: kept, problems };
};

// `locked` is the policy's, reported on read and never stored: a settings.json `locked` is an unknown key.
const checks: Record<Exclude<keyof Settings, 'locked'>, KeyCheck> = {
  autostart: bool,
  stores,
  logLevel: oneOf(logLevels),
  theme: oneOf(themes),
  openServiceUris: bool,
  language: oneOf(languageSettings),
  passwordWarnDays: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 365
      ? { value: v, problems: [] }
      : { problems: [`expected a whole number of days from 0 to 365, got ${show(v)}`] },
};

export function checkSettings(raw: unknown, platform: NodeJS.Platform = process.platform): SettingsCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { valid: {}, cleaned: {}, problems: [`expected a JSON object, got ${show(raw)}`] };
  const valid: Record<string, unknown> = {};
  const cleaned: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue; // an absent optional key in a patch, not a value
    const check = (checks as Record<string, KeyCheck | undefined>)[key];
    if (!check) {
      cleaned[key] = value;
      continue;
    }
    const r = check(value, platform);
    problems.push(...r.problems.map((p) => `${key}: ${p}`));
    if (r.value !== undefined) valid[key] = cleaned[key] = r.value;
  }
  return { valid: valid as Partial<Settings>, cleaned, problems };
}
