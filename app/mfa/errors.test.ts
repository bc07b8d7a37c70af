import { AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { explainMfaError, MfaError, needsInteraction } from './errors';

const ctx = { authority: 'https://login.microsoftonline.com/contoso.example', clientId: '01234567-89ab-cdef-0123-456789abcdef' };

describe('explainMfaError', () => {
  it.each([
    [
      'user cancelled at the IdP',
      new ServerError('access_denied', '', 'The user cancelled the sign-in.'),
      'user-cancelled',
      /cancelled/,
    ],
    [
      'consent (interaction required)',
      new InteractionRequiredAuthError('consent_required', '', 'AADSTS65001: The user or administrator has not consented'),
      'consent-required',
      /not granted.*administrator/,
    ],
    [
      'consent declined (Entra access_denied)',
      new ServerError('access_denied', '', 'AADSTS65004: User declined to consent to access the app.'),
      'consent-required',
      /accept the request/,
    ],
    [
      'consent (admin only)',
      new ServerError('invalid_grant', '', 'AADSTS90094: Admin consent is required'),
      'consent-required',
      /grant consent/,
    ],
    [
      'wrong tenant (guest missing)',
      new ServerError(
        'invalid_request',
        '',
        "AADSTS50020: User account from identity provider does not exist in tenant 'Contoso'",
      ),
      'wrong-tenant',
      /another organisation/,
    ],
    [
      'wrong tenant (app not in directory)',
      new ServerError('unauthorized_client', '', 'AADSTS700016: Application not found in the directory'),
      'wrong-tenant',
      /client-id/,
    ],
    [
      'on-prem IdP unknown client',
      new ServerError('invalid_client', '', 'client authentication failed'),
      'wrong-tenant',
      /does not know application/,
    ],
    [
      'clock skew reported by Entra',
      new ServerError('invalid_grant', '', 'AADSTS500133: Assertion is not within its valid time range'),
      'clock-skew',
      /clock/,
    ],
    [
      'TLS certificate not yet valid (clock behind)',
      new AuthError('network_error', '', 'cannot reach https://idp: CERT_NOT_YET_VALID certificate is not yet valid'),
      'clock-skew',
      /date, time/,
    ],
    [
      'network',
      new AuthError('network_error', '', 'cannot reach https://idp: ECONNREFUSED'),
      'idp-unreachable',
      /Cannot reach the identity provider/,
    ],
    ['discovery', new ClientAuthError('endpoints_resolution_error', ''), 'idp-unreachable', /Cannot reach/],
    [
      'untrusted authority',
      new AuthError('untrusted_authority', '', 'authority not in knownAuthorities'),
      'configuration',
      /administrator must correct/,
    ],
    [
      'refresh token rejected',
      new ServerError('invalid_grant', '', 'grant request is invalid'),
      'interaction-required',
      /sign in again/,
    ],
    ['anything else', new Error('boom'), 'failed', /failed: boom/],
  ])('%s', (_name, err, reason, message) => {
    const e = explainMfaError(err, ctx);
    expect(e).toBeInstanceOf(MfaError);
    expect(e.reason).toBe(reason);
    expect(e.message).toMatch(message);
    expect(e.cause).toBe(err);
  });

  it('a network failure with a clock off by more than 5 minutes is explained as clock skew', () => {
    const e = explainMfaError(new AuthError('network_error', '', 'x'), { ...ctx, clockSkewSeconds: -3600 });
    expect(e.reason).toBe('clock-skew');
    expect(e.message).toContain('-3600 s');
  });

  it('keeps the transport detail MSAL dropped', () => {
    const e = explainMfaError(new ClientAuthError('endpoints_resolution_error', ''), {
      ...ctx,
      networkDetail: 'its TLS certificate is not trusted',
    });
    expect(e.message).toContain('its TLS certificate is not trusted');
  });
});

describe('needsInteraction', () => {
  it('is true for expired/revoked refresh tokens and interaction-required errors, false for network trouble', () => {
    expect(needsInteraction(new ServerError('invalid_grant', ''))).toBe(true);
    expect(needsInteraction(new InteractionRequiredAuthError('login_required', ''))).toBe(true);
    expect(needsInteraction(new ClientAuthError('no_tokens_found', ''))).toBe(true);
    expect(needsInteraction(new AuthError('network_error', ''))).toBe(false);
    expect(needsInteraction(new Error('x'))).toBe(false);
  });
});
