import { promises as fs } from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../config/home';
import { checkSettings } from '../config/settings-check';
import type { Settings } from '../ipc/contract';
import { applyPolicy, PolicyLockedError, refusedBy, type SettingLocks } from '../policy/apply-settings';
import { currentPolicy, type LoadedPolicy } from '../policy/load-policy';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { reportDamage } from '../system/state-file';
import { defaultStoreIds } from '../stores/default-stores';

/**
 * <home>/state/settings.json over the defaults, under the managed policy (policy > user settings > defaults,
 * app/policy/apply-settings.ts). Its own module so the daemon and the CLI can read the settings (which stores are
 * enabled) without loading the agent core and everything it imports (issue 7's idle target).
 *
 * The file is checked key by key (config/settings-check.ts): a bad value is dropped and its default used, the
 * original file is moved aside for support (state-file.ts's reportDamage, so it shows as a warning in the UI and
 * in `status`), and the valid values are written back so the next read is clean. Nothing here throws for a bad
 * file: a hand-edited setting must never stop the UI, the CLI or the daemon. settings.json holds only the user's
 * own choices: policy values are applied on read, never copied in, so lifting a lock gives the user's value back.
 */
export const defaultSettings: Settings = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };

/**
 * The defaults on this machine: the stores from defaultStoreIds (file + the OS's own store), decided once per
 * process (PATH does not change under a running agent). `defaultSettings` above stays the platform-free base.
 */
let here: Settings | undefined;
export function machineDefaults(): Settings {
  return (here ??= { ...defaultSettings, stores: defaultStoreIds() });
}

export const settingsFile = (home: string) => path.join(homeLayout(home).state, 'settings.json');

/** Reads in flight per file: concurrent requests share one read, so a bad file is moved aside once, not once each. */
const inFlight = new Map<string, Promise<Partial<Settings>>>();

/** Only what the user chose (the valid keys of settings.json), without defaults or policy. */
export function readUserSettings(home: string): Promise<Partial<Settings>> {
  const file = settingsFile(home);
  const pending = inFlight.get(file);
  if (pending) return pending;
  const read = readChecked(file).finally(() => inFlight.delete(file));
  inFlight.set(file, read);
  return read;
}

/** The settings in force; `locked` names, per setting the policy pins, the policy key that pins it. */
export async function readSettings(home: string, policy?: LoadedPolicy): Promise<Settings> {
  const loaded = policy ?? (await currentPolicy());
  const { settings, locked } = applyPolicy(await readUserSettings(home), machineDefaults(), loaded.policy);
  return Object.keys(locked).length ? { ...settings, locked } : settings;
}

async function readChecked(file: string): Promise<Partial<Settings>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    await reportDamage(file, text.trim() === '' ? 'empty' : 'not valid JSON, perhaps truncated');
    return {};
  }
  const checked = checkSettings(json);
  if (checked.problems.length) {
    await reportDamage(file, checked.problems.join('; '));
    await writeJsonAtomic(file, checked.cleaned);
  }
  return checked.valid;
}

/**
 * The settings after `patch`, refused with the problem in words when the patch holds a value settings.json may not,
 * or changes a setting the policy locks (PolicyLockedError naming the policy key: refused, not silently overridden).
 */
export async function patchSettings(home: string, patch: Partial<Settings>): Promise<Settings> {
  const policy = await currentPolicy();
  const current = await readSettings(home, policy);
  const key = refusedBy(patch, current, (current.locked ?? {}) as SettingLocks, policy.policy);
  if (key) throw new PolicyLockedError(key, Object.keys(patch).join(', '));
  const { locked: _ignored, ...userPatch } = patch;
  // Read-modify-write under the home lock: the app's Settings page and `stores enable` may save at once.
  await withStateLock(homeLayout(home).state, async () => {
    const next = { ...(await readUserSettings(home)), ...userPatch };
    const { problems } = checkSettings(next);
    if (problems.length) throw new Error(`not saved: ${problems.join('; ')}`);
    await writeJsonAtomic(settingsFile(home), next);
  });
  return readSettings(home, policy);
}
