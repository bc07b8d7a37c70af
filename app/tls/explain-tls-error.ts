import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { withText } from '../model/core-text';
import { PEER_CERTIFICATE } from './provider-agent';
import { isTlsFailure } from './tls-codes';

export type TlsProblem =
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-host'
  | 'unknown-ca'
  | 'self-signed'
  | 'revoked'
  | 'not-server-certificate'
  | 'bad-certificate'
  | 'handshake';

/** A TLS failure in words, with what the user or an administrator needs to act on it. */
export class TlsTrustError extends Error {
  constructor(
    message: string,
    readonly problem: TlsProblem,
    readonly host: string,
    readonly code: string | undefined,
    readonly sha256Fingerprint: string | undefined,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'TlsTrustError';
  }
}

const EXPIRED = new Set(['CERT_HAS_EXPIRED']);
const NOT_YET = new Set(['CERT_NOT_YET_VALID']);
const WRONG_HOST = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_FORMAT']);
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);
const REVOKED = new Set(['CERT_REVOKED']);
const NOT_SERVER = new Set(['INVALID_PURPOSE']);

function fingerprintOf(cert: PeerCertificate | undefined): string | undefined {
  if (!cert) return undefined;
  if (cert.raw) return createHash('sha256').update(cert.raw).digest('hex').toUpperCase();
  return cert.fingerprint256?.replace(/:/g, '').toUpperCase();
}

function nameOf(part: unknown): string {
  if (!part || typeof part !== 'object') return 'unknown';
  const p = part as Record<string, string | string[] | undefined>;
  const cn = Array.isArray(p.CN) ? p.CN[0] : p.CN;
  const o = Array.isArray(p.O) ? p.O[0] : p.O;
  return cn ?? o ?? 'unknown';
}

function dateText(s: string | undefined): string {
  if (!s) return 'an unknown date';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString().replace('.000Z', 'Z');
}

function namesOf(cert: PeerCertificate | undefined): string {
  if (!cert) return 'another name';
  const sans = cert.subjectaltname?.split(/,\s*/).map((s) => s.replace(/^(DNS|IP Address):/, '')) ?? [];
  const list = sans.length ? sans : [nameOf(cert.subject)];
  return list.join(', ');
}

/** The error code of a TLS failure, looking through `cause` chains (fetch/undici wraps the socket error). */
function tlsCode(err: unknown): { code?: string; source?: Record<string | symbol, unknown> } {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const rec = e as Record<string | symbol, unknown>;
    if (typeof rec.code === 'string') return { code: rec.code, source: rec };
    e = rec.cause;
  }
  return {};
}

/**
 * Turn a Node TLS error into an Error that says what is wrong in words — expired, not yet valid, wrong host,
 * unknown CA, self-signed — naming the host and the server certificate's SHA-256 fingerprint (captured by the
 * provider agent) so it can be compared with what the administrator expects. Errors that are not about TLS
 * trust are returned unchanged (wrapped in an Error when they are not one).
 */
export function explainTlsError(err: unknown, host: string): Error {
  const { code, source } = tlsCode(err);
  const peer = (source?.[PEER_CERTIFICATE] ?? source?.cert) as PeerCertificate | undefined;
  const fp = fingerprintOf(peer);
  const fpText = fp ? ` (server certificate SHA-256 fingerprint ${fp})` : '';
  const subject = peer ? `"${nameOf(peer.subject)}"` : 'its certificate';
  // Coded by its problem, so the UI can say it in the user's language (app/model/core-text.ts).
  const make = (problem: TlsProblem, msg: string): TlsTrustError =>
    withText(new TlsTrustError(msg + fpText, problem, host, code, fp, err), `tls.${problem}`, { host });

  if (code && EXPIRED.has(code)) {
    return make(
      'expired',
      `The server certificate of ${host} (${subject}) expired on ${dateText(peer?.valid_to)}; the server administrator must renew it`,
    );
  }
  if (code && NOT_YET.has(code)) {
    return make(
      'not-yet-valid',
      `The server certificate of ${host} (${subject}) is not valid until ${dateText(peer?.valid_from)}; check this computer's clock and time zone`,
    );
  }
  if (code && WRONG_HOST.has(code)) {
    return make(
      'wrong-host',
      `Connected to ${host}, but the server's certificate is for ${namesOf(peer)} (wrong host); check the server address in the provider's RCCD`,
    );
  }
  if (code && SELF_SIGNED.has(code)) {
    return make(
      'self-signed',
      `The server ${host} presented a self-signed certificate chain (${subject}) that is not one of this provider's CAs; it may not be the real KeyTalk server, or the RCCD is outdated`,
    );
  }
  if (code && UNKNOWN_CA.has(code)) {
    return make(
      'unknown-ca',
      `The server certificate of ${host} (${subject}, issued by "${nameOf(peer?.issuer)}") is not issued by this provider's server communication CA (SCA) from the RCCD (unknown CA); it may not be the real KeyTalk server — import the provider's current RCCD or ask your administrator`,
    );
  }
  if (code && REVOKED.has(code)) return make('revoked', `The server certificate of ${host} (${subject}) has been revoked`);
  if (code && NOT_SERVER.has(code)) {
    return make(
      'not-server-certificate',
      `The server ${host} presented a certificate (${subject}, issued by "${nameOf(peer?.issuer)}") that is not a TLS server certificate (no serverAuth extended key usage); it may not be the real KeyTalk server, so nothing was sent to it`,
    );
  }
  if (code && /^ERR_SSL_|^ERR_TLS_|^EPROTO$/.test(code)) {
    return make(
      'handshake',
      `The secure connection to ${host} failed during the TLS handshake (${code}); the server may not speak TLS 1.2+ or this is not an HTTPS port`,
    );
  }
  // Every other verification code (CERT_REJECTED, INVALID_CA, UNSPECIFIED, PATH_LENGTH_EXCEEDED, …) is still a
  // refusal of the server's certificate, not an outage.
  if (code && isTlsFailure({ code }))
    return make('bad-certificate', `The server certificate of ${host} (${subject}) was rejected (${code})`);
  return err instanceof Error ? err : new Error(String(err));
}
