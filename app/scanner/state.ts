import path from 'node:path';
import { homeLayout } from '../config/home';
import * as z from 'zod/mini';
import type { CoreText } from '../model/core-text';
import { StoredCoreText } from '../model/core-text-stored';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';
import type { SourceKind, SourcePlace } from './found';

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
  /** source: the CLI's English; place: what the UI names in the user's language (absent in files from before). */
  scanned: { source: string; place?: SourcePlace; storeType: string; certificates: number }[];
  matched: number;
  sent: number;
  stored: number;
  skippedByServer: number;
  skippedItems: number;
  error?: string;
  /** error as a coded text for the UI's languages (app/model/core-text.ts), when the core's sentence was coded. */
  errorText?: CoreText;
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

/** The containers checked on read; a file that fails is moved aside and the scanner starts afresh (readStateFile). */
const obj = z.record(z.string(), z.unknown());
const Place = z.object({
  kind: z.enum(['file-store', 'nss', 'system-ca', 'windows-store', 'macos-keychain', 'folders'] satisfies SourceKind[]),
  where: z.string(),
});
const ScannerStateSchema = z.looseObject({
  sent: z.optional(z.record(z.string(), obj)),
  oneShotDone: z.optional(z.record(z.string(), z.string())),
  // errorText is optional (older files stay valid); one that does not fit is dropped, the English error shown.
  // So is a scanned source's place (files from before it); one that does not fit is dropped, the English shown.
  lastScans: z.optional(
    z.array(
      z.looseObject({
        at: z.string(),
        target: z.string(),
        errorText: z.catch(z.optional(StoredCoreText), undefined),
        scanned: z.catch(z.optional(z.array(z.looseObject({ place: z.catch(z.optional(Place), undefined) }))), []),
      }),
    ),
  ),
  serverSettings: z.optional(obj),
}) as unknown as z.ZodMiniType<Partial<ScannerState>>;

export async function readScannerState(home: string): Promise<ScannerState> {
  const s = await readStateFile(scannerStateFile(home), ScannerStateSchema, empty());
  return { ...empty(), ...s, version: 1 };
}

/**
 * Read-modify-write of scanner.json under the home lock (app/system/home-lock.ts: one writer at a time across the
 * app, daemon and CLI); every write is atomic, so a crash leaves the previous state, never a half-written one.
 */
export function updateScannerState(home: string, fn: (s: ScannerState) => void): Promise<ScannerState> {
  return withStateLock(homeLayout(home).state, async () => {
    const s = await readScannerState(home);
    fn(s);
    await writeJsonAtomic(scannerStateFile(home), s);
    return s;
  });
}
