/**
 * The contract the engine uses when auth-requirements carries mfa-settings and authentication answers
 * WAIT-FOR-OTP: get an access token from the IdP and re-submit it as the OTP/MFA credential.
 * Implemented with MSAL by MsalMfaSignIn (msal-mfa-sign-in.ts).
 */
export interface MfaSettings {
  kind: 'mfa-popups' | 'mfa-redirection';
  clientId: string;
  authority: string;
  scopes: string[];
  /** The server's redirect-uri. Desktop sign-in always uses a loopback redirect; a http://localhost:PORT value pins the port. */
  redirectUri?: string;
  postLogoutUri?: string;
}

export type MfaProgress = 'silent' | 'waiting-for-browser' | 'done' | 'cancelled';

export interface MfaSignIn {
  /** Returns an access token to submit as OTP/MFA. Silent first (cache, refresh token); interactive only when allowed. */
  acquireToken(
    settings: MfaSettings,
    opts: { unattended: boolean; loginHint?: string; signal?: AbortSignal; onProgress?: (state: MfaProgress) => void },
  ): Promise<string>;
  signOut(settings: MfaSettings, account?: string): Promise<void>;
  /** Signed-in accounts per authority + client, for Settings (no tokens). */
  accounts?(): Promise<MfaAccountGroup[]>;
  /** Sign-out from Settings, with the mfa-settings remembered for that authority + client. */
  signOutAccount?(authority: string, clientId: string, username: string): Promise<void>;
}

export interface MfaAccountGroup {
  authority: string;
  clientId: string;
  /** Sign-out also ends the IdP session (the settings have a post-log-out-uri). */
  endsIdpSession: boolean;
  accounts: { username: string; name?: string }[];
}
