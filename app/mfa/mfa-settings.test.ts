import { ProtocolMode } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { authorityKind, loopbackPort, msalAuthConfig, normalizeAuthority } from './authority';
import { parseMfaSettings } from './mfa-settings';

// The example from the RCDP 2.8.3 spec (auth-requirements with OTP/MFA).
const SPEC_EXAMPLE = {
  kind: 'mfa-popups',
  'client-id': '01234567-89ab-cdef-0123-456789abcdef',
  authority: 'https://login.microsoftonline.com/organizations',
  scopes: ['User.Read.All', 'Mail.Read'],
  'redirect-uri': 'https://my.agent.com/mfa?auth',
  'post-log-out-uri': 'https://my.agent.com/mfa?logout',
};

describe('parseMfaSettings', () => {
  it('reads the spec example', () => {
    expect(parseMfaSettings(SPEC_EXAMPLE)).toEqual({
      kind: 'mfa-popups',
      clientId: '01234567-89ab-cdef-0123-456789abcdef',
      authority: 'https://login.microsoftonline.com/organizations',
      scopes: ['User.Read.All', 'Mail.Read'],
      redirectUri: 'https://my.agent.com/mfa?auth',
      postLogoutUri: 'https://my.agent.com/mfa?logout',
    });
  });

  it.each([
    [{ ...SPEC_EXAMPLE, kind: 'mfa-magic' }, /\(kind: expected "mfa-popups" or "mfa-redirection"\)/],
    [{ ...SPEC_EXAMPLE, 'client-id': ' ' }, /unusable mfa-settings \(client-id: expected at least 1 character\)/],
    [{ ...SPEC_EXAMPLE, authority: 'http://login.example/x' }, /must use https/],
    [{ ...SPEC_EXAMPLE, authority: 'not a url' }, /not a URL/],
    [{ ...SPEC_EXAMPLE, scopes: [] }, /no scopes/],
  ])('rejects bad settings with a message naming the problem (%#)', (value, message) => {
    expect(() => parseMfaSettings(value)).toThrow(message);
  });
});

describe('authority handling', () => {
  it('Entra ID as MSAL expects it, B2C/External ID as known authorities, anything else as an OIDC issuer', () => {
    expect(authorityKind('https://login.microsoftonline.com/contoso.onmicrosoft.com')).toBe('entra');
    expect(authorityKind('https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin')).toBe('entra-b2c');
    expect(authorityKind('https://sso.corp.example/realms/keytalk')).toBe('oidc');

    const entra = msalAuthConfig({
      kind: 'mfa-popups',
      clientId: 'c',
      authority: 'https://login.microsoftonline.com/t/',
      scopes: ['s'],
    });
    expect(entra).toEqual({
      auth: { clientId: 'c', authority: 'https://login.microsoftonline.com/t' },
      protocolMode: ProtocolMode.AAD,
    });
    const onPrem = msalAuthConfig({
      kind: 'mfa-popups',
      clientId: 'c',
      authority: 'https://SSO.corp.example:8443/realms/kt',
      scopes: ['s'],
    });
    expect(onPrem).toEqual({
      auth: { clientId: 'c', authority: 'https://sso.corp.example:8443/realms/kt', knownAuthorities: ['sso.corp.example:8443'] },
      protocolMode: ProtocolMode.OIDC,
    });
  });

  it('normalises spelling so one app and one cache serve both', () => {
    expect(normalizeAuthority('https://IdP.Example/x/')).toBe(normalizeAuthority('https://idp.example/x'));
  });

  it('honours a loopback redirect-uri port only', () => {
    expect(loopbackPort('http://localhost:53100')).toBe(53100);
    expect(loopbackPort('http://127.0.0.1:53100/cb')).toBe(53100);
    expect(loopbackPort('https://my.agent.com/mfa?auth')).toBeUndefined();
    expect(loopbackPort(undefined)).toBeUndefined();
  });
});
