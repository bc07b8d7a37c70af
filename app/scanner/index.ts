export {
  CERT_PURPOSES,
  inspectCertificate,
  keyUsageBits,
  normalizeFp,
  purposesOf,
  type CertPurpose,
  type ScannedCertInfo,
} from './classify';
export { collectCertificates, type Candidate, type CollectResult } from './collect';
export { FolderSource, type FolderSourceOptions } from './folder-source';
export { STORE_TYPES, type FoundCert, type ScanSource, type SkippedItem, type SourceResult, type StoreType } from './found';
export {
  runCertScraping,
  summarizeScan,
  SCRAPING_MIN_VERSION,
  type ScanReport,
  type ScanStatus,
  type ScanTrigger,
  type ScannedItem,
  type ScrapeOptions,
  type ScrapingClient,
} from './scanner';
export { machineSources, scanWithSilentSession, scrapeAfterAuthentication, type ScanRequest } from './session';
export {
  normalizeScrapingSettings,
  readScannerSettings,
  ScannerLocalSettings,
  scannerSettingsFile,
  type ScrapingSettings,
} from './settings';
export { readScannerState, scannerStateFile, type ScannerState, type ScanSummary, type SeenScrapingSettings } from './state';
export {
  defaultSources,
  FileStoreSource,
  LinuxSystemCaSource,
  MacKeychainSource,
  NssSource,
  WindowsSource,
} from './store-sources';
export { scannerOverview, type ScannerOverview, type ScannerTargetOverview } from './overview';
export {
  normalizePaths,
  updateScannerSettings,
  userSettingsOf,
  type ScannerSettingsPatch,
  type ScannerUserSettings,
} from './settings-edit';
