import { createHash, X509Certificate } from 'node:crypto';
import { keyUsageBits, KU } from '../crypto/key-usage';

export { keyUsageBits };

/** The purposes a KeyTalk server can ask for in cert-scraping-settings (RCDP 2.7.8). */
export type CertPurpose = 'smime' | 'client-auth' | 'server-auth';
export const CERT_PURPOSES: readonly CertPurpose[] = ['smime', 'client-auth', 'server-auth'];

const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  any: '2.5.29.37.0',
} as const;

/** What the scanner needs to know about one certificate; built from Node's X509Certificate plus a keyUsage scan. */
export interface ScannedCertInfo {
  /** Upper-case hex, no separators. */
  sha1: string;
  sha256: string;
  subject: string;
  issuer: string;
  notAfter: string;
  isCa: boolean;
  expired: boolean;
  purposes: CertPurpose[];
}

/**
 * Purposes from keyUsage and extendedKeyUsage. An explicit EKU decides; without EKU an end-entity certificate is
 * usable for anything its keyUsage allows (RFC 5280 4.2.1.12), S/MIME only when it names an e-mail address.
 * A CA certificate only counts for a purpose its EKU names explicitly: a root with just keyCertSign is not a
 * client, server or S/MIME certificate. A keyUsage present but lacking the bits a purpose needs rules it out.
 */
export function purposesOf(opts: {
  eku: string[] | undefined;
  ku: number | undefined;
  isCa: boolean;
  hasEmail: boolean;
}): CertPurpose[] {
  const { eku, ku, isCa, hasEmail } = opts;
  const kuAllows = (bits: number) => ku === undefined || (ku & bits) !== 0;
  const tlsKu = kuAllows(KU.digitalSignature | KU.keyEncipherment | KU.keyAgreement);
  const smimeKu = kuAllows(KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment | KU.keyAgreement);
  const has = (oid: string) => !!eku && (eku.includes(oid) || eku.includes(EKU.any));
  const noEku = !eku || eku.length === 0;
  const implicit = noEku && !isCa;
  const out: CertPurpose[] = [];
  if (smimeKu && (has(EKU.emailProtection) || (implicit && hasEmail))) out.push('smime');
  if (tlsKu && (has(EKU.clientAuth) || implicit)) out.push('client-auth');
  if (tlsKu && (has(EKU.serverAuth) || implicit)) out.push('server-auth');
  return out;
}

const hex = (algo: 'sha1' | 'sha256', der: Buffer) => createHash(algo).update(der).digest('hex').toUpperCase();

/** The cheap part of an inspection: enough to decide whether a certificate is wanted. */
export interface QuickInspection {
  x: X509Certificate;
  sha256: string;
  isCa: boolean;
  expired: boolean;
  notAfterMs: number;
  purposes: CertPurpose[];
}

/**
 * Parse and classify. Only what the decision needs is read from Node's X509Certificate (each getter formats
 * text in C++): EKU, CA flag, end date, and the SAN only for an end-entity certificate without EKU, where an
 * e-mail address decides S/MIME. Subject, issuer and SHA-1 are for the certificates that are kept (details()).
 */
export function quickInspect(der: Buffer, now: number = Date.now(), sha256?: string): QuickInspection {
  const x = new X509Certificate(der);
  // x.keyUsage is Node's name for the *extended* key usages.
  const eku = x.keyUsage as string[] | undefined;
  const isCa = x.ca;
  const implicit = (!eku || eku.length === 0) && !isCa;
  const hasEmail = implicit && (/(^|, )email:/.test(x.subjectAltName ?? '') || /(^|\n)emailAddress=/.test(x.subject));
  const notAfterMs = Date.parse(x.validTo);
  return {
    x,
    sha256: sha256 ?? hex('sha256', der),
    isCa,
    expired: notAfterMs < now,
    notAfterMs,
    purposes: purposesOf({ eku, ku: keyUsageBits(der), isCa, hasEmail }),
  };
}

export function details(q: QuickInspection, der: Buffer): ScannedCertInfo {
  return {
    sha1: hex('sha1', der),
    sha256: q.sha256,
    subject: q.x.subject.replace(/\n/g, ', '),
    issuer: q.x.issuer.replace(/\n/g, ', '),
    notAfter: new Date(q.notAfterMs).toISOString(),
    isCa: q.isCa,
    expired: q.expired,
    purposes: q.purposes,
  };
}

/** Inspect one DER certificate; throws (Node's message) when it is not a readable X.509 certificate. */
export function inspectCertificate(der: Buffer, now: number = Date.now()): ScannedCertInfo {
  return details(quickInspect(der, now), der);
}

export const sha256Hex = (der: Buffer) => hex('sha256', der);

/** Fingerprints in server replies may be colon-separated or lower case; compare them in one form. */
export function normalizeFp(fp: string): string {
  return fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
