import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { PolicyLockedError } from '../policy/apply-settings';
import { currentPolicy } from '../policy/load-policy';
import { readScannerSettings, ScannerLocalSettings, scannerSettingsFile } from './settings';

/** The part of the scanner settings the user edits (UI, `scan settings`); batch and size limits stay file-only. */
export interface ScannerUserSettings {
  scanningEnabled: boolean;
  folders: string[];
  nssDbs: string[];
  includeExpired: boolean;
  sendPrivateKeys: boolean;
}

export type ScannerSettingsPatch = Partial<ScannerUserSettings>;

export const userSettingsOf = (s: ScannerLocalSettings): ScannerUserSettings => ({
  scanningEnabled: s.scanningEnabled,
  folders: s.folders,
  nssDbs: s.nssDbs,
  includeExpired: s.includeExpired,
  sendPrivateKeys: s.sendPrivateKeys,
});

/**
 * Paths must be absolute: the agent (tray app, daemon) runs from a working directory the user never sees, so a
 * relative folder would be scanned somewhere unexpected. Duplicates are dropped, trailing separators trimmed.
 */
export function normalizePaths(kind: 'folder' | 'NSS database', list: string[], isAbsolute = path.isAbsolute): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const p = raw.trim();
    if (!p) continue;
    if (!isAbsolute(p))
      throw new Error(`${kind} "${raw}" is not an absolute path; give the full path (e.g. /home/me/certs or C:\\certs)`);
    // "/" and "C:\\" keep their separator: without it they are no longer absolute.
    const trimmed = p.replace(/[\\/]+$/, '');
    const clean = trimmed && isAbsolute(trimmed) ? trimmed : p;
    if (!out.includes(clean)) out.push(clean);
  }
  return out;
}

/**
 * Change the user's scanner settings in <home>/state/scanner-settings.json: validated, written atomically, keys
 * the patch does not name (and the file-only limits) kept. Returns the user-editable settings now in force.
 */
export async function updateScannerSettings(home: string, patch: ScannerSettingsPatch): Promise<ScannerUserSettings> {
  // The organisation's policy can forbid the consent outright: refused by name, not silently ignored.
  if (patch.sendPrivateKeys === true && (await currentPolicy()).policy.neverUploadPrivateKeys)
    throw new PolicyLockedError('neverUploadPrivateKeys', 'Sending private keys');
  const lockedConsent = (await currentPolicy()).policy.lockedScannerConsent;
  if (patch.scanningEnabled !== undefined && lockedConsent !== undefined && patch.scanningEnabled !== lockedConsent)
    throw new PolicyLockedError('lockedScannerConsent', 'Certificate scanning');
  // Read through the schema first: a broken file is reported with its fix rather than overwritten.
  await readScannerSettings(home);
  const file = scannerSettingsFile(home);
  // Read-modify-write under the home lock: the Settings page and `scan settings` may save at once.
  await withStateLock(path.dirname(file), async () => {
    const raw = await readJsonFile<Record<string, unknown>>(file, {});
    const next: Record<string, unknown> = { ...raw };
    if (patch.folders) next.folders = normalizePaths('folder', patch.folders);
    if (patch.nssDbs) next.nssDbs = normalizePaths('NSS database', patch.nssDbs);
    if (patch.includeExpired !== undefined) next.includeExpired = patch.includeExpired;
    if (patch.scanningEnabled !== undefined) next.scanningEnabled = patch.scanningEnabled;
    if (patch.sendPrivateKeys !== undefined) next.sendPrivateKeys = patch.sendPrivateKeys;
    ScannerLocalSettings.parse(next);
    await writeJsonAtomic(file, next);
  });
  // Read back through the policy: a pinned consent shows as pinned, not as what the file now says.
  return userSettingsOf(await readScannerSettings(home));
}
