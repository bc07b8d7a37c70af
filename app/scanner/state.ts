import path from 'node:path';
import { homeLayout } from '../config/home';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';

/** What one server already has from this machine, by SHA-256 fingerprint. */
export interface SentRecord {
  sha1: string;
  /** The server's verdict in the store-certs reply. */
  result: 'stored' | 'skipped';
  withKey: boolean;
  at: string;
}

export interface ScanSummary {
  at: string;
  target: string;
  trigger: string;
  status: string;
  dryRun: boolean;
  scanned: { source: string; storeType: string; certificates: number }[];
  matched: number;
  sent: number;
  stored: number;
  skippedByServer: number;
  skippedItems: number;
  error?: string;
}

/** The server's cert-scraping-settings as this agent last read them (for the UI and `scan report`). */
export interface SeenScrapingSettings {
  schedule: string;
  purposes: string[];
  storeTypes: string[];
  at: string;
}

export interface ScannerState {
  version: 1;
  /** Per target (provider/service), per SHA-256 fingerprint. */
  sent: Record<string, Record<string, SentRecord>>;
  /** Targets whose one-shot scan completed. */
  oneShotDone: Record<string, string>;
  lastScans: ScanSummary[];
  /** Per target: the server's scraping settings at the last scan that could read them. */
  serverSettings: Record<string, SeenScrapingSettings>;
}

export const scannerStateFile = (home: string) => path.join(homeLayout(home).state, 'scanner.json');

const empty = (): ScannerState => ({ version: 1, sent: {}, oneShotDone: {}, lastScans: [], serverSettings: {} });

export async function readScannerState(home: string): Promise<ScannerState> {
  const s = await readJsonFile<Partial<ScannerState>>(scannerStateFile(home), empty());
  return { ...empty(), ...s, version: 1 };
}

// One writer at a time within the process; every write is atomic (temp file + rename), so a crash leaves the
// previous state, never a half-written one.
let chain: Promise<unknown> = Promise.resolve();

/** Read-modify-write of scanner.json, serialized. */
export function updateScannerState(home: string, fn: (s: ScannerState) => void): Promise<ScannerState> {
  const run = chain.then(async () => {
    const s = await readScannerState(home);
    fn(s);
    await writeJsonAtomic(scannerStateFile(home), s);
    return s;
  });
  chain = run.catch(() => undefined);
  return run;
}
