import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificateToPem, pemToDer } from './pem';

export { splitPemBlocks } from './pem';

const { asn1 } = forge;

export interface CertInfo {
  /** RFC 2253 order (most specific first), e.g. "CN=alice, OU=Dev, O=KeyTalk, C=NL". */
  subject: string;
  issuer: string;
  /** Subject attributes by short name (CN, O, OU, …); several OUs stay several values. */
  subjectFields: Record<string, string[]>;
  commonName?: string;
  /** Upper-case hex, no colons, no leading zero byte padding beyond what the certificate encodes. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256Fingerprint: string;
  sha1Fingerprint: string;
  /** keyUsage bit names (digitalSignature, keyEncipherment, …); empty when the extension is absent. */
  keyUsage: string[];
  /** extKeyUsage OIDs, e.g. 1.3.6.1.5.5.7.3.2 for client authentication. */
  extKeyUsage: string[];
  /** SAN rfc822Names plus a subject emailAddress. */
  emails: string[];
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
  isCa: boolean;
  selfIssued: boolean;
  publicKeyAlgorithm: string;
  /** RSA modulus bits, or EC curve size. */
  publicKeyBits?: number;
}

const NAME_OIDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function decodeString(node: forge.asn1.Asn1): string {
  const raw = node.value as string;
  if (node.type === asn1.Type.UTF8) return forge.util.decodeUtf8(raw);
  if (node.type === asn1.Type.BMPSTRING) {
    let s = '';
    for (let i = 0; i + 1 < raw.length; i += 2) s += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return s;
  }
  return raw;
}

function escapeRdnValue(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

interface ParsedName {
  text: string;
  fields: Record<string, string[]>;
}

function parseName(name: forge.asn1.Asn1): ParsedName {
  const fields: Record<string, string[]> = {};
  const rdns: string[] = [];
  for (const set of name.value as forge.asn1.Asn1[]) {
    const parts: string[] = [];
    for (const atv of set.value as forge.asn1.Asn1[]) {
      const [oidNode, valueNode] = atv.value as forge.asn1.Asn1[];
      const oid = asn1.derToOid(oidNode!.value as string);
      const label = NAME_OIDS[oid] ?? oid;
      const value = decodeString(valueNode!);
      (fields[label] ??= []).push(value);
      parts.push(`${label}=${escapeRdnValue(value)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { text: rdns.reverse().join(', '), fields };
}

interface TbsParts {
  issuer: forge.asn1.Asn1;
  subject: forge.asn1.Asn1;
  extensions: Map<string, string>;
}

function tbsParts(der: Buffer): TbsParts {
  const cert = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  // v1 certificates have no [0] version tag, which shifts every field by one.
  const offset = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC && tbs[0]!.type === 0 ? 1 : 0;
  const extensions = new Map<string, string>();
  const extWrapper = tbs.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  if (extWrapper) {
    const list = (extWrapper.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
    for (const ext of list) {
      const parts = ext.value as forge.asn1.Asn1[];
      const oid = asn1.derToOid(parts[0]!.value as string);
      const octets = parts[parts.length - 1]!.value as string;
      extensions.set(oid, octets);
    }
  }
  return { issuer: tbs[offset + 2]!, subject: tbs[offset + 4]!, extensions };
}

function parseKeyUsage(octets: string | undefined): string[] {
  if (octets === undefined) return [];
  const bits = asn1.fromDer(octets).value as string;
  const unused = bits.charCodeAt(0);
  const out: string[] = [];
  for (let byte = 1; byte < bits.length; byte++) {
    const b = bits.charCodeAt(byte);
    for (let i = 0; i < 8; i++) {
      const index = (byte - 1) * 8 + i;
      if (byte === bits.length - 1 && i >= 8 - unused) break;
      if (b & (0x80 >> i) && KEY_USAGE_BITS[index]) out.push(KEY_USAGE_BITS[index]!);
    }
  }
  return out;
}

function parseExtKeyUsage(octets: string | undefined): string[] {
  if (octets === undefined) return [];
  return (asn1.fromDer(octets).value as forge.asn1.Asn1[]).map((n) => asn1.derToOid(n.value as string));
}

interface Sans {
  emails: string[];
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
}

function formatIp(bytes: string): string {
  if (bytes.length === 4) return [...bytes].map((c) => c.charCodeAt(0)).join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) groups.push(((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)).toString(16));
  return groups.join(':');
}

function parseSan(octets: string | undefined): Sans {
  const out: Sans = { emails: [], dnsNames: [], ipAddresses: [], uris: [] };
  if (octets === undefined) return out;
  for (const gn of asn1.fromDer(octets).value as forge.asn1.Asn1[]) {
    if (gn.tagClass !== asn1.Class.CONTEXT_SPECIFIC) continue;
    const v = gn.value as string;
    if (gn.type === 1) out.emails.push(v);
    else if (gn.type === 2) out.dnsNames.push(v);
    else if (gn.type === 6) out.uris.push(v);
    else if (gn.type === 7) out.ipAddresses.push(formatIp(v));
  }
  return out;
}

function loadCertificate(input: string | Uint8Array): { x509: X509Certificate; der: Buffer } {
  let pem: string;
  try {
    pem = certificateToPem(input);
    const x509 = new X509Certificate(pem);
    return { x509, der: x509.raw };
  } catch (err) {
    throw new Error(`Not a readable X.509 certificate (${(err as Error).message}); expected PEM or DER`);
  }
}

/**
 * Everything the UI, the stores and the scheduler need to know about a certificate, from PEM or DER.
 * Node's X509Certificate does the validation and fingerprints (fast, any key type); forge's ASN.1 reader fills in
 * what Node does not expose (ordered names with several OUs, keyUsage bits).
 */
export function describeCertificate(input: string | Uint8Array): CertInfo {
  const { x509, der } = loadCertificate(input);
  let parts: TbsParts;
  let subject: ReturnType<typeof parseName>;
  let issuer: ReturnType<typeof parseName>;
  let sans: ReturnType<typeof parseSan>;
  try {
    parts = tbsParts(der);
    subject = parseName(parts.subject);
    issuer = parseName(parts.issuer);
    sans = parseSan(parts.extensions.get('2.5.29.17'));
  } catch (err) {
    // OpenSSL accepts some DER that forge's reader cannot walk (found by fuzzing: "set.value is not iterable").
    throw new Error(`Not a readable X.509 certificate (its names or extensions are malformed: ${(err as Error).message})`);
  }
  const emails = [...sans.emails];
  for (const e of subject.fields.emailAddress ?? []) if (!emails.includes(e)) emails.push(e);
  const pub = x509.publicKey;
  const details = pub.asymmetricKeyDetails;
  const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
  return {
    subject: subject.text,
    issuer: issuer.text,
    subjectFields: subject.fields,
    commonName: subject.fields.CN?.[0],
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: isoDate(x509.validFrom, 'notBefore'),
    notAfter: isoDate(x509.validTo, 'notAfter'),
    sha256Fingerprint: createHash('sha256').update(der).digest('hex').toUpperCase(),
    sha1Fingerprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    keyUsage: parseKeyUsage(parts.extensions.get('2.5.29.15')),
    extKeyUsage: parseExtKeyUsage(parts.extensions.get('2.5.29.37')),
    emails,
    dnsNames: sans.dnsNames,
    ipAddresses: sans.ipAddresses,
    uris: sans.uris,
    isCa: x509.ca,
    selfIssued: subject.text === issuer.text,
    publicKeyAlgorithm: pub.asymmetricKeyType ?? 'unknown',
    publicKeyBits: details?.modulusLength ?? (details?.namedCurve ? curveBits[details.namedCurve] : undefined),
  };
}

/** OpenSSL passes some impossible validity dates through as text; fuzzing found a RangeError from toISOString. */
function isoDate(text: string, field: string): string {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`Not a readable X.509 certificate (its ${field} date "${text}" is invalid)`);
  return d.toISOString();
}

/** SHA-256 fingerprint (upper hex, no colons) of a PEM or DER certificate. */
export function certificateFingerprint(input: string | Uint8Array): string {
  return createHash('sha256').update(loadCertificate(input).der).digest('hex').toUpperCase();
}

/** True when the certificate's public key is the public half of `keyPem` (any key type Node reads). */
export function certMatchesKey(certPem: string, keyPem: string): boolean {
  const { x509 } = loadCertificate(certPem);
  let keySpki: Buffer;
  try {
    keySpki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  } catch (err) {
    throw new Error(`Not a readable unencrypted private or public key PEM: ${(err as Error).message}`);
  }
  return x509.publicKey.export({ type: 'spki', format: 'der' }).equals(keySpki);
}

export { pemToDer };
