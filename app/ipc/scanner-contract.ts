import { z } from 'zod';
import { CoreText } from '../model/core-text-schema';

/**
 * Schemas of the certificate-scan channels (app/scanner: cert-scraping-settings + store-certs), kept beside the
 * contract so contract.ts stays a list of channels. Shapes mirror app/scanner/overview.ts and state.ts.
 */

/** The kinds of place a scan reads (app/scanner/found.ts SourceKind, which the core checks against this list). */
export const SOURCE_KINDS = ['file-store', 'nss', 'system-ca', 'windows-store', 'macos-keychain', 'folders'] as const;

const PathList = z.array(z.string().min(1).max(4096)).max(200);

/** The user's side of scanning; `sendPrivateKeys` is the consent to upload private keys. */
export const ScannerUserSettings = z.object({
  scanningEnabled: z.boolean(),
  folders: z.array(z.string()),
  nssDbs: z.array(z.string()),
  includeExpired: z.boolean(),
  sendPrivateKeys: z.boolean(),
});
export type ScannerUserSettings = z.infer<typeof ScannerUserSettings>;

/** A patch; the core also requires absolute paths (checked there with the platform's rules). */
export const ScannerSettingsPatch = z
  .object({
    scanningEnabled: z.boolean(),
    folders: PathList,
    nssDbs: PathList,
    includeExpired: z.boolean(),
    sendPrivateKeys: z.boolean(),
  })
  .partial()
  .strict();

export const ScanSummary = z.object({
  at: z.string(),
  target: z.string(),
  trigger: z.string(),
  status: z.string(),
  dryRun: z.boolean(),
  scanned: z.array(
    z.object({
      source: z.string(),
      /** What the window names in the user's language (app/scanner/found.ts SourcePlace); where is data. */
      place: z.object({ kind: z.enum(SOURCE_KINDS), where: z.string() }).optional(),
      storeType: z.string(),
      certificates: z.number(),
    }),
  ),
  matched: z.number(),
  sent: z.number(),
  stored: z.number(),
  skippedByServer: z.number(),
  skippedItems: z.number(),
  error: z.string().optional(),
  /** error as a coded text the UI translates (app/model/core-text.ts); absent when not coded. */
  errorText: CoreText.optional(),
});
export type ScanSummary = z.infer<typeof ScanSummary>;

export const ScannerTarget = z.object({
  target: z.string(),
  settings: z
    .object({ schedule: z.string(), purposes: z.array(z.string()), storeTypes: z.array(z.string()), at: z.string() })
    .optional(),
  sent: z.number(),
  stored: z.number(),
  skipped: z.number(),
  oneShotDoneAt: z.string().optional(),
});
export type ScannerTarget = z.infer<typeof ScannerTarget>;

export const ScannerReport = z.object({
  local: ScannerUserSettings,
  /** Settings the organisation's policy pins, by policy key (shown as "Managed by your organisation"). */
  locked: z.object({ scanningEnabled: z.string().optional(), sendPrivateKeys: z.string().optional() }).optional(),
  targets: z.array(ScannerTarget),
  lastScans: z.array(ScanSummary),
});
export type ScannerReport = z.infer<typeof ScannerReport>;

/** One certificate of a scan started from the UI, and what happened to it. */
export const ScannedCertificate = z.object({
  subject: z.string(),
  sha256: z.string(),
  purposes: z.array(z.string()),
  outcome: z.string(),
  withKey: z.boolean(),
});

export const ScanNowRequest = z
  .object({
    dryRun: z.boolean().optional(),
    provider: z.string().min(1).max(200).optional(),
    service: z.string().min(1).max(200).optional(),
  })
  .strict();
export const ScanNowResult = z.object({
  summary: ScanSummary,
  warnings: z.array(z.string()),
  /** At most 200; `more` says how many were left out. */
  certificates: z.array(ScannedCertificate),
  more: z.number(),
});
export type ScanNowResult = z.infer<typeof ScanNowResult>;
