/**
 * The certificate facts every store reports (fingerprints, serial, subject, validity), read with Node's
 * X509Certificate, and what it is for (cert-use.ts). Kept in one place so the stores agree on formats: fingerprints and serials upper-case hex
 * without separators, subject as "CN=..., O=..." in certificate order, dates ISO 8601.
 */
import { X509Certificate } from 'node:crypto';
import { certUsesOf } from './cert-use';
import type { StoredCertificate } from './store';

export type CertFacts = Pick<
  StoredCertificate,
  'sha256Fingerprint' | 'sha1Fingerprint' | 'serialNumber' | 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'uses' | 'ca'
>;

const hex = (colonHex: string) => colonHex.replace(/:/g, '').toUpperCase();
// Node separates RDNs with newlines and escapes commas inside values, so joining with ", " stays unambiguous.
const dn = (nodeDn: string) => nodeDn.split('\n').join(', ');

export function parseCertificate(pemOrDer: string | Buffer, what = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(pemOrDer);
  } catch (err) {
    throw new Error(`the ${what} is not a readable X.509 certificate (${(err as Error).message})`);
  }
}

export function certFacts(cert: X509Certificate): CertFacts {
  return {
    sha256Fingerprint: hex(cert.fingerprint256),
    sha1Fingerprint: hex(cert.fingerprint),
    serialNumber: cert.serialNumber.toUpperCase(),
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    uses: certUsesOf(cert),
    // Only when set, so the facts of an end-entity certificate keep their shape.
    ...(cert.ca ? { ca: true } : {}),
  };
}

export function certFactsFromPem(pem: string | Buffer, what?: string): CertFacts {
  return certFacts(parseCertificate(pem, what));
}

/** Normalise a fingerprint the user or another tool typed (colons, spaces, lower case) to the store format. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[\s:]/g, '').toUpperCase();
}

/** Split a PEM blob (chain files, tool output) into its certificates. */
export function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

/** Is this a CA certificate (basicConstraints cA=TRUE)? Decides NSS trust flags and Windows store names. */
export function isCa(cert: X509Certificate): boolean {
  return cert.ca;
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.checkIssued(cert);
}

/** Match a query against the facts, the same way in every store. */
export function matchesQuery(
  facts: Pick<StoredCertificate, 'sha256Fingerprint' | 'serialNumber' | 'subject'>,
  query: { sha256Fingerprint: string } | { serialNumber: string } | { subjectContains: string },
): boolean {
  if ('sha256Fingerprint' in query) return facts.sha256Fingerprint === normalizeFingerprint(query.sha256Fingerprint);
  if ('serialNumber' in query) {
    const want = query.serialNumber.replace(/[\s:]/g, '').toUpperCase().replace(/^0+/, '');
    return facts.serialNumber.replace(/^0+/, '') === want;
  }
  return facts.subject.toLowerCase().includes(query.subjectContains.toLowerCase());
}

/** The CN of a subject as certFacts formats it (unescaped), or undefined. */
export function commonName(subject: string): string | undefined {
  return /(?:^|, )CN=((?:\\.|[^,\\])+)/.exec(subject)?.[1]?.replace(/\\(.)/g, '$1');
}
