/** Online CA provider: public surface for the engine, CLI, scheduler and IPC handlers. */
export {
  addOnlineCaProvider,
  listOnlineCaProviders,
  loadOnlineCaProvider,
  removeOnlineCaProvider,
  onlineCaProviderSummary,
  normalizeSha256,
  trustRootsDir,
  ONLINECA_SERVICE,
  type AddOnlineCaOptions,
  type OnlineCaProviderRecord,
  type OnlineCaTrust,
} from './provider';
export { bootstrapTrust, readTrustRootPems, formatFingerprint, type BootstrapResult } from './trust-bootstrap';
export {
  enrollOnlineCa,
  onlineCaRenewalDecision,
  parseBasicRealm,
  secretKeyFor,
  type EnrollOnlineCaOptions,
  type OnlineCaCredentials,
  type OnlineCaEnrollResult,
} from './enroll';
export { renewOnlineCaIfDue, currentOnlineCaCertificate, type OnlineCaRenewalResult } from './renewal';
export { parseTrustRoots, TrustRootsError, TRUST_ROOTS_LIMITS, type ParsedTrustRoots } from './trust-roots-parse';
