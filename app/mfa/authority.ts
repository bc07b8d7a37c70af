import { ProtocolMode, type Configuration } from '@azure/msal-node';
import type { MfaSettings } from './mfa-sign-in';

export type AuthorityKind = 'entra' | 'entra-b2c' | 'oidc';

/** Microsoft's public and national-cloud sign-in hosts: MSAL knows them and their metadata. */
const ENTRA_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

export function authorityKind(authority: string): AuthorityKind {
  const host = new URL(authority).hostname.toLowerCase();
  if (ENTRA_HOSTS.has(host)) return 'entra';
  // Azure AD B2C and Entra External ID speak the AAD protocol but MSAL must be told to trust the host.
  if (host.endsWith('.b2clogin.com') || host.endsWith('.ciamlogin.com')) return 'entra-b2c';
  return 'oidc';
}

/** One spelling per authority, so "https://Host/x/" and "https://host/x" share a client application and a cache. */
export function normalizeAuthority(authority: string): string {
  const url = new URL(authority);
  return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * MSAL configuration for one authority + client. Entra ID authorities as MSAL expects them; any other issuer
 * (Keycloak, ADFS, an on-premises IdP) in OIDC protocol mode with its host as a known authority, so MSAL reads the
 * issuer's own discovery document instead of Microsoft's instance discovery.
 */
export function msalAuthConfig(settings: MfaSettings): Pick<Configuration, 'auth'> & { protocolMode: ProtocolMode } {
  const authority = normalizeAuthority(settings.authority);
  const kind = authorityKind(authority);
  const host = new URL(authority).host;
  if (kind === 'entra') return { auth: { clientId: settings.clientId, authority }, protocolMode: ProtocolMode.AAD };
  return {
    auth: { clientId: settings.clientId, authority, knownAuthorities: [host] },
    protocolMode: kind === 'oidc' ? ProtocolMode.OIDC : ProtocolMode.AAD,
  };
}

/** The port of a loopback redirect-uri (http://localhost:PORT), which a desktop app can honour; else undefined. */
export function loopbackPort(redirectUri: string | undefined): number | undefined {
  if (!redirectUri) return undefined;
  try {
    const url = new URL(redirectUri);
    if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || !url.port) return undefined;
    return Number(url.port);
  } catch {
    return undefined;
  }
}
