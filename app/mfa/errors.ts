import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';

export type MfaFailure =
  | 'user-cancelled'
  | 'consent-required'
  | 'wrong-tenant'
  | 'clock-skew'
  | 'idp-unreachable'
  | 'interaction-required'
  | 'configuration'
  | 'failed';

/** Every failure of the MFA sign-in, with a sentence a user can act on; `code` keeps the IdP/MSAL code for support. */
export class MfaError extends Error {
  constructor(
    readonly reason: MfaFailure,
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MfaError';
  }
}

/**
 * Unattended renewal needs the user: the scheduler catches this and shows its "sign in to renew" popup
 * instead of a browser window appearing out of nowhere.
 */
export class MfaInteractionRequired extends MfaError {
  constructor(
    readonly authority: string,
    readonly loginHint: string | undefined,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(
      'interaction-required',
      `Sign-in at ${authority} is needed to continue${loginHint ? ` (${loginHint})` : ''}: ${why}`,
      undefined,
      options,
    );
    this.name = 'MfaInteractionRequired';
  }
}

/** Entra ID (AADSTS) numbers, grouped by what the user or admin can do about them. */
const AADSTS_WRONG_TENANT = new Set(['50020', '700016', '90002', '50128', '50059', '90072', '500011', '50034']);
const AADSTS_CONSENT = new Set(['65001', '65004', '90094', '90008', '650057']);
const AADSTS_CLOCK = new Set(['500133', '700024', '50132']);
const CANCEL_CODES = new Set(['access_denied', 'user_canceled', 'user_cancelled']);
const NETWORK_CODES = new Set(['network_error', 'no_network_connectivity', 'endpoints_resolution_error', 'openid_config_error']);
const CONFIG_CODES = new Set([
  'untrusted_authority',
  'url_parse_error',
  'invalid_authority_type',
  'authority_uri_insecure',
  'empty_url_error',
]);
/** Refresh token rejected or missing: the fix is to sign in again. */
const REAUTH_CODES = new Set([
  'invalid_grant',
  'no_tokens_found',
  'refresh_token_expired',
  'no_account_found',
  'token_refresh_required',
]);

export interface ExplainContext {
  authority: string;
  clientId: string;
  /** Seconds the IdP's clock (HTTP Date) differs from ours; beyond 5 minutes tokens look expired or not yet valid. */
  clockSkewSeconds?: number;
  /** The transport error behind a generic MSAL network code (e.g. an untrusted TLS certificate). */
  networkDetail?: string;
}

function aadstsNumbers(text: string): string[] {
  return [...text.matchAll(/AADSTS(\d+)/g)].map((m) => m[1]!);
}

/** True when a silent failure is fixed by signing in again (as opposed to a network or configuration problem). */
export function needsInteraction(err: unknown): boolean {
  if (err instanceof InteractionRequiredAuthError) return true;
  if (err instanceof AuthError) return REAUTH_CODES.has(err.errorCode) || err.errorCode === 'invalid_scope';
  return false;
}

/** Turns an MSAL/IdP error into an MfaError that says, in words, what happened and what to do. */
export function explainMfaError(err: unknown, ctx: ExplainContext): MfaError {
  if (err instanceof MfaError) return err;
  const code = err instanceof AuthError ? err.errorCode : ((err as { code?: string })?.code ?? undefined);
  const text = `${code ?? ''} ${err instanceof AuthError ? `${err.errorMessage} ${err.subError}` : String((err as Error)?.message ?? err)}`;
  const numbers = aadstsNumbers(text);
  const skew = ctx.clockSkewSeconds ?? 0;
  const where = ctx.authority;
  const wrap = (reason: MfaFailure, message: string) => new MfaError(reason, message, code, { cause: err });

  if (numbers.some((n) => AADSTS_CLOCK.has(n)) || /CERT_NOT_YET_VALID|clock skew|not yet valid|nbf|iat.*future/i.test(text)) {
    return wrap(
      'clock-skew',
      `This computer's clock does not match the identity provider's${skew ? ` (off by ${Math.round(skew)} s)` : ''}. Correct the date, time and time zone, then sign in again.`,
    );
  }
  // Before "cancelled": Entra reports a declined or missing consent as access_denied with an AADSTS650xx number.
  if ((code && ['consent_required', 'invalid_scope'].includes(code)) || numbers.some((n) => AADSTS_CONSENT.has(n))) {
    return wrap(
      'consent-required',
      `Access to the MFA scopes was not granted for application ${ctx.clientId}. Sign in again and accept the request, or ask your administrator to grant consent for the organisation.`,
    );
  }
  if (code && CANCEL_CODES.has(code)) {
    return wrap('user-cancelled', 'The sign-in was cancelled; nothing was changed. Start it again to renew the certificate.');
  }
  if (numbers.some((n) => AADSTS_WRONG_TENANT.has(n)) || code === 'invalid_client' || code === 'unauthorized_client') {
    return wrap(
      'wrong-tenant',
      `The identity provider ${where} does not know application ${ctx.clientId} or this account belongs to another organisation (tenant). Sign in with your work account of that organisation, or ask the KeyTalk administrator to check the MFA authority and client-id.`,
    );
  }
  if (code && NETWORK_CODES.has(code)) {
    if (Math.abs(skew) > 300) {
      return wrap(
        'clock-skew',
        `This computer's clock is off by ${Math.round(skew)} s compared to ${where}. Correct the date and time, then try again.`,
      );
    }
    const detail = ctx.networkDetail ?? (err as Error).message;
    return wrap(
      'idp-unreachable',
      `Cannot reach the identity provider ${where}. Check the network connection (and proxy), then try again. Details: ${detail}`,
    );
  }
  if (code && CONFIG_CODES.has(code)) {
    return wrap(
      'configuration',
      `The MFA authority ${where} is not usable: ${(err as Error).message}. The KeyTalk administrator must correct the service's mfa-settings.`,
    );
  }
  if (needsInteraction(err)) {
    return wrap('interaction-required', `The saved sign-in for ${where} is no longer valid; sign in again.`);
  }
  if (Math.abs(skew) > 300) {
    return wrap(
      'clock-skew',
      `Sign-in failed and this computer's clock is off by ${Math.round(skew)} s compared to ${where}; correct the date and time, then try again.`,
    );
  }
  return wrap('failed', `Sign-in at ${where} failed: ${(err as Error)?.message ?? String(err)}`);
}
