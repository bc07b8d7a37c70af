import { readScannerSettings, scannerLocks } from './settings';
import { userSettingsOf, type ScannerUserSettings } from './settings-edit';
import { readScannerState, type ScanSummary, type SeenScrapingSettings } from './state';

/** What one KeyTalk server (provider/service) asked for and has received from this machine. */
export interface ScannerTargetOverview {
  target: string;
  /** The server's cert-scraping-settings at the last scan that read them. */
  settings?: SeenScrapingSettings;
  /** Certificates recorded as sent (the server answered stored or skipped for them). */
  sent: number;
  stored: number;
  skipped: number;
  oneShotDoneAt?: string;
}

export interface ScannerOverview {
  local: ScannerUserSettings;
  /** Settings the policy pins, by policy key. */
  locked: { scanningEnabled?: string; sendPrivateKeys?: string };
  targets: ScannerTargetOverview[];
  /** Newest first. */
  lastScans: ScanSummary[];
}

/** What was scanned and sent, from <home>/state/scanner.json, and the user's settings: for the UI and `scan report`. */
export async function scannerOverview(home: string): Promise<ScannerOverview> {
  const [local, state, locked] = await Promise.all([readScannerSettings(home), readScannerState(home), scannerLocks()]);
  const names = new Set([...Object.keys(state.serverSettings), ...Object.keys(state.sent), ...Object.keys(state.oneShotDone)]);
  const targets = [...names].sort().map((target): ScannerTargetOverview => {
    const records = Object.values(state.sent[target] ?? {});
    const settings = state.serverSettings[target];
    const done = state.oneShotDone[target];
    return {
      target,
      ...(settings ? { settings } : {}),
      sent: records.length,
      stored: records.filter((r) => r.result === 'stored').length,
      skipped: records.filter((r) => r.result === 'skipped').length,
      ...(done ? { oneShotDoneAt: done } : {}),
    };
  });
  return { local: userSettingsOf(local), locked, targets, lastScans: state.lastScans };
}
