import { promises as fs } from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../config/home';
import { checkSettings } from '../config/settings-check';
import type { Settings } from '../ipc/contract';
import { writeJsonAtomic } from '../system/atomic-write';
import { reportDamage } from '../system/state-file';

/**
 * <home>/state/settings.json over the defaults. Its own module so the daemon and the CLI can read the settings
 * (which stores are enabled) without loading the agent core and everything it imports (issue 7's idle target).
 *
 * The file is checked key by key (config/settings-check.ts): a bad value is dropped and its default used, the
 * original file is moved aside for support (state-file.ts's reportDamage, so it shows as a warning in the UI and
 * in `status`), and the valid values are written back so the next read is clean. Nothing here throws for a bad
 * file: a hand-edited setting must never stop the UI, the CLI or the daemon.
 */
const defaultSettings: Settings = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };

export const settingsFile = (home: string) => path.join(homeLayout(home).state, 'settings.json');

/** Reads in flight per file: concurrent requests share one read, so a bad file is moved aside once, not once each. */
const inFlight = new Map<string, Promise<Settings>>();

export function readSettings(home: string): Promise<Settings> {
  const file = settingsFile(home);
  const pending = inFlight.get(file);
  if (pending) return pending;
  const read = readChecked(file).finally(() => inFlight.delete(file));
  inFlight.set(file, read);
  return read;
}

async function readChecked(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...defaultSettings };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    await reportDamage(file, text.trim() === '' ? 'empty' : 'not valid JSON, perhaps truncated');
    return { ...defaultSettings };
  }
  const checked = checkSettings(json);
  if (checked.problems.length) {
    await reportDamage(file, checked.problems.join('; '));
    await writeJsonAtomic(file, checked.cleaned);
  }
  return { ...defaultSettings, ...checked.valid };
}

/** The settings after `patch`, refused with the problem in words when the patch holds a value settings.json may not. */
export async function patchSettings(home: string, patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await readSettings(home)), ...patch };
  const { problems } = checkSettings(next);
  if (problems.length) throw new Error(`not saved: ${problems.join('; ')}`);
  await writeJsonAtomic(settingsFile(home), next);
  return next;
}
