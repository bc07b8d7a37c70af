import type { MfaSettings } from '../rcdp/schemas';

export type { MfaSettings };

/**
 * Multi-factor sign-in (implemented in app/mfa with MSAL). The engine calls it when the server answers
 * WAIT-FOR-OTP for a template with mfa-settings; the returned access token is sent as the OTP/MFA credential.
 * `unattended`: only a silent (cached/refresh-token) acquisition is allowed; reject if a browser is needed.
 */
export interface MfaSignIn {
  acquireToken(settings: MfaSettings, options: { unattended: boolean; loginHint?: string }): Promise<string>;
}
