import path from 'node:path';
import { homeLayout } from '../config/home';
import type { Settings } from '../ipc/contract';
import { readJsonFile } from '../system/atomic-write';

/**
 * <home>/state/settings.json over the defaults. Its own module so the daemon and the CLI can read the settings
 * (which stores are enabled) without loading the agent core and everything it imports (issue 7's idle target).
 */
const defaultSettings: Settings = { autostart: false, stores: ['file'], logLevel: 'info', theme: 'system' };

export async function readSettings(home: string): Promise<Settings> {
  return {
    ...defaultSettings,
    ...(await readJsonFile<Partial<Settings>>(path.join(homeLayout(home).state, 'settings.json'), {})),
  };
}
