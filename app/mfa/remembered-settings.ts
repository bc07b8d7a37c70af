import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import type { MfaSettings } from './mfa-sign-in';
import { validateMfaSettings } from './mfa-settings';

/**
 * The mfa-settings each token cache was made for, kept beside it (`msal-<hash>.settings.json`, 0600) so Settings can
 * list who is signed in where and sign out later, when no server is asking. Only what the server sent in
 * auth-requirements: no account, no token (those stay in the encrypted cache).
 */
export function settingsFileFor(cacheFile: string): string {
  return cacheFile.replace(/\.cache$/, '.settings.json');
}

/** Writes the settings unless the same are already there (a renewal after restart costs one small read, no write). */
export async function rememberSettings(cacheFile: string, settings: MfaSettings): Promise<void> {
  const { kind, clientId, authority, scopes, redirectUri, postLogoutUri } = settings;
  const value = { kind, clientId, authority, scopes, redirectUri, postLogoutUri };
  const file = settingsFileFor(cacheFile);
  const existing = await readJsonFile<unknown>(file, undefined).catch(() => undefined);
  if (JSON.stringify(existing) === JSON.stringify(JSON.parse(JSON.stringify(value)))) return;
  await writeJsonAtomic(file, value, { mode: 0o600 });
}

export async function forgetSettings(cacheFile: string): Promise<void> {
  await fs.rm(settingsFileFor(cacheFile), { force: true });
}

/** Every remembered mfa-settings in the cache folder; unreadable or invalid files are skipped (and reported). */
export async function rememberedSettings(cacheDir: string, warn: (m: string) => void): Promise<MfaSettings[]> {
  let names: string[];
  try {
    names = await fs.readdir(cacheDir);
  } catch {
    return []; // no sign-in yet
  }
  const found: MfaSettings[] = [];
  for (const name of names.filter((n) => /^msal-[0-9a-f]+\.settings\.json$/.test(n)).sort()) {
    const settings = await readJsonFile<MfaSettings | undefined>(path.join(cacheDir, name), undefined).catch(() => undefined);
    try {
      if (!settings) throw new Error('unreadable');
      validateMfaSettings(settings);
      found.push(settings);
    } catch (err) {
      warn(
        `Ignoring ${name} in ${cacheDir}: ${(err as Error).message}; delete it if the sign-in it belongs to is no longer used.`,
      );
    }
  }
  return found;
}
