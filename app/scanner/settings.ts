import path from 'node:path';
import { z } from 'zod';
import { homeLayout } from '../config/home';
import { currentPolicy } from '../policy/load-policy';
import { readJsonFile } from '../system/atomic-write';
import type { CertScrapingSettingsReply } from '../rcdp/schemas';
import { CERT_PURPOSES, type CertPurpose } from './classify';
import { STORE_TYPES, type StoreType } from './found';

/** The server's cert-scraping-settings, with values this agent does not know set aside (and reported). */
export interface ScrapingSettings {
  schedule: 'never' | 'one-shot' | 'on-successful-authentication';
  purposes: CertPurpose[];
  storeTypes: StoreType[];
  /** Purposes/store types the server named that this agent does not know; they select nothing. */
  ignored: string[];
}

export function normalizeScrapingSettings(
  reply: Pick<CertScrapingSettingsReply, 'schedule' | 'cert-purposes' | 'cert-store-types'>,
): ScrapingSettings {
  const ignored: string[] = [];
  const purposes: CertPurpose[] = [];
  for (const p of reply['cert-purposes']) {
    const v = p.trim().toLowerCase();
    if ((CERT_PURPOSES as readonly string[]).includes(v)) {
      if (!purposes.includes(v as CertPurpose)) purposes.push(v as CertPurpose);
    } else ignored.push(`cert-purpose "${p}"`);
  }
  const storeTypes: StoreType[] = [];
  for (const t of reply['cert-store-types']) {
    const v = t.trim().toLowerCase();
    if ((STORE_TYPES as readonly string[]).includes(v)) {
      if (!storeTypes.includes(v as StoreType)) storeTypes.push(v as StoreType);
    } else ignored.push(`cert-store-type "${t}"`);
  }
  return { schedule: reply.schedule, purposes, storeTypes, ignored };
}

/**
 * The user's side of scanning, in <home>/state/scanner-settings.json. `sendPrivateKeys` is the user's consent to
 * upload private keys; without it only certificates leave the machine, whatever the server wants.
 */
export const ScannerLocalSettings = z
  .object({
    /**
     * The consent to scanning itself: off, no server's cert-scraping-settings make this machine scan. On by default
     * (a server that asks is the organisation's own); policy `lockedScannerConsent` pins it either way.
     */
    scanningEnabled: z.boolean().default(true),
    folders: z.array(z.string().min(1)).default([]),
    nssDbs: z.array(z.string().min(1)).default([]),
    includeExpired: z.boolean().default(false),
    sendPrivateKeys: z.boolean().default(false),
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** store-certs batches: certificates per request and PEM characters per request. */
    maxBatchCerts: z.number().int().positive().default(100),
    maxBatchBytes: z
      .number()
      .int()
      .positive()
      .default(512 * 1024),
  })
  .strict();
export type ScannerLocalSettings = z.infer<typeof ScannerLocalSettings>;

export const scannerSettingsFile = (home: string) => path.join(homeLayout(home).state, 'scanner-settings.json');

export async function readScannerSettings(home: string): Promise<ScannerLocalSettings> {
  const file = scannerSettingsFile(home);
  const parsed = ScannerLocalSettings.safeParse(await readJsonFile<unknown>(file, {}));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || 'settings'}: ${issue.message}; fix or delete the file`);
  }
  // The policy beats the user's consents, whatever the file says (policy > user settings).
  const { policy } = await currentPolicy();
  const out = { ...parsed.data };
  if (policy.neverUploadPrivateKeys) out.sendPrivateKeys = false;
  if (policy.lockedScannerConsent !== undefined) out.scanningEnabled = policy.lockedScannerConsent;
  return out;
}

/** Which scanner settings the policy pins, by the policy key that pins each (the UI's "Managed by your organisation"). */
export async function scannerLocks(): Promise<{ scanningEnabled?: string; sendPrivateKeys?: string }> {
  const { policy } = await currentPolicy();
  return {
    ...(policy.lockedScannerConsent !== undefined ? { scanningEnabled: 'lockedScannerConsent' } : {}),
    ...(policy.neverUploadPrivateKeys ? { sendPrivateKeys: 'neverUploadPrivateKeys' } : {}),
  };
}
