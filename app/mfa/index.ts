export type { MfaSettings, MfaSignIn, MfaProgress } from './mfa-sign-in';
export { MsalMfaSignIn, type MsalMfaSignInOptions } from './msal-mfa-sign-in';
export { MfaError, MfaInteractionRequired, explainMfaError, type MfaFailure } from './errors';
export { parseMfaSettings, validateMfaSettings } from './mfa-settings';
export { systemBrowserOpener, browserCommand } from './open-browser';
export { linuxSafeStorageWarning, safeStorageBackendIsProtected } from './secret-protection';
export { authorityKind } from './authority';
