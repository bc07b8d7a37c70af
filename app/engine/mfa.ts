/**
 * Multi-factor sign-in, implemented in app/mfa with MSAL. The engine calls it when the server answers
 * WAIT-FOR-OTP for a template with mfa-settings; the access token it returns is sent as the OTP/MFA credential.
 * `unattended`: only a silent (cached / refresh-token) acquisition is allowed.
 */
export type { MfaSettings, MfaSignIn, MfaProgress } from '../mfa/mfa-sign-in';
export { parseMfaSettings } from '../mfa/mfa-settings';
