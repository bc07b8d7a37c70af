export {
  importRccd,
  listProviders,
  loadProvider,
  removeProvider,
  providerFolderName,
  ProviderNotFoundError,
  RccdVersionError,
} from './provider-store';
export type { ImportOptions } from './provider-store';
export { parseRccd, RccdFormatError, RccdLimitError } from './rccd-parse';
export { RCCD_LIMITS } from './rccd-limits';
export { RccdTrustError, unconfirmedTrust } from './rccd-trust';
export { readZipSafely, UnsafeZipError, DEFAULT_ZIP_LIMITS } from './zip-guard';
export type { ZipLimits } from './zip-guard';
export { providerRecordSchema } from './types';
export type { ProviderRecord, ProviderService } from './types';
