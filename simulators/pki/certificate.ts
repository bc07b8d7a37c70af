import { createHash, createPublicKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { subjectToForgeAttrs, type SubjectFields } from './names';

/** A SAN entry in the KeyTalk spelling: "DNS:host", "email:a@b", "IP:1.2.3.4", "URI:https://…". */
export type SanEntry = string;

export interface CertificateProfile {
  subject: SubjectFields;
  /** Subject public key: a Node KeyObject or PEM (RSA or EC; the SPKI is copied verbatim). */
  publicKey: KeyObject | string;
  lifetimeSeconds: number;
  /** Defaults to now. */
  notBefore?: Date;
  san?: SanEntry[];
  isCa?: boolean;
  pathLen?: number;
  extKeyUsage?: ('serverAuth' | 'clientAuth' | 'emailProtection' | 'codeSigning')[];
}

export interface Issuer {
  /** DER of the issuer certificate (null for self-signed). */
  certDer: Buffer | null;
  privateKey: KeyObject;
}

export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  serialHex: string;
  sha1: string;
  notBefore: Date;
  notAfter: Date;
}

const EKU_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;

// A throwaway RSA key forge can digest while it builds the TBS; the real SPKI replaces it afterwards, which is how
// EC subject keys (which forge cannot represent) get certified too.
let placeholderKey: forge.pki.PublicKey | undefined;
function placeholder(): forge.pki.PublicKey {
  placeholderKey ??= forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('00c3', 16), new forge.jsbn.BigInteger('10001', 16));
  return placeholderKey;
}

function spkiDer(key: KeyObject | string): Buffer {
  const k = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return k.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spki: Buffer): Buffer {
  const asn = forge.asn1.fromDer(forge.util.createBuffer(spki.toString('binary')), {
    decodeBitStrings: false,
  } as unknown as boolean);
  const bits = (asn.value as forge.asn1.Asn1[])[1]!.value as string;
  return createHash('sha1')
    .update(Buffer.from(bits.slice(1), 'binary'))
    .digest();
}

function rawExt(id: string, critical: boolean, inner: forge.asn1.Asn1) {
  return { id, critical, value: forge.asn1.toDer(inner).getBytes() };
}

function sanToAsn1(entries: SanEntry[]): forge.asn1.Asn1 {
  const A = forge.asn1;
  const names = entries.map((entry) => {
    const i = entry.indexOf(':');
    if (i < 0) throw new Error(`SAN entry "${entry}" has no type prefix; write it as DNS:host, email:addr, IP:addr or URI:uri`);
    const kind = entry.slice(0, i).trim().toLowerCase();
    const value = entry.slice(i + 1).trim();
    switch (kind) {
      case 'dns':
        return A.create(A.Class.CONTEXT_SPECIFIC, 2, false, value);
      case 'email':
      case 'rfc822':
        return A.create(A.Class.CONTEXT_SPECIFIC, 1, false, value);
      case 'uri':
        return A.create(A.Class.CONTEXT_SPECIFIC, 6, false, value);
      case 'ip': {
        const bytes = ipToBytes(value);
        if (!bytes) throw new Error(`SAN entry "${entry}" is not a valid IP address`);
        return A.create(A.Class.CONTEXT_SPECIFIC, 7, false, bytes.toString('binary'));
      }
      default:
        throw new Error(`SAN entry "${entry}" has unknown type "${kind}" (use DNS, email, IP or URI)`);
    }
  });
  return A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, names);
}

export function ipToBytes(ip: string): Buffer | null {
  const v = ip.replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) {
    const parts = v.split('.').map(Number);
    return parts.every((p) => p <= 255) ? Buffer.from(parts) : null;
  }
  if (v.includes(':')) {
    const [head, tail] = v.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const fill = v.includes('::') ? 8 - h.length - t.length : 0;
    const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
    if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
    const out = Buffer.alloc(16);
    groups.forEach((g, idx) => out.writeUInt16BE(parseInt(g, 16), idx * 2));
    return out;
  }
  return null;
}

/** Build an X.509 v3 certificate with forge's encoder and sign it with Node's crypto (≈50× faster than forge). */
export function issueCertificate(issuer: Issuer | 'self', profile: CertificateProfile, signerKey?: KeyObject): IssuedCertificate {
  if (!(profile.lifetimeSeconds > 0)) throw new Error(`certificate lifetime must be > 0 seconds, got ${profile.lifetimeSeconds}`);
  const A = forge.asn1;
  const cert = forge.pki.createCertificate();
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x10;
  cert.serialNumber = serial.toString('hex');
  const notBefore = new Date(Math.floor((profile.notBefore ?? new Date()).getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + Math.round(profile.lifetimeSeconds) * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subjectToForgeAttrs(profile.subject) as forge.pki.CertificateField[]);
  const spki = spkiDer(profile.publicKey);
  const ski = keyIdentifier(spki);
  let issuerKey: KeyObject;
  let aki: Buffer;
  let issuerName: forge.asn1.Asn1 | undefined;
  if (issuer === 'self') {
    if (!signerKey) throw new Error('a self-signed certificate needs its private key');
    cert.setIssuer(cert.subject.attributes);
    issuerKey = signerKey;
    aki = ski;
  } else {
    if (!issuer.certDer) throw new Error('issuer certificate missing');
    // The issuer Name is copied byte for byte from the issuer's subject: re-encoding parsed attributes would
    // change non-ASCII strings and break chain building.
    const issuerTbs = (
      A.fromDer(forge.util.createBuffer(issuer.certDer.toString('binary')), { decodeBitStrings: false } as unknown as boolean)
        .value as forge.asn1.Asn1[]
    )[0]!;
    issuerName = (issuerTbs.value as forge.asn1.Asn1[])[5]!;
    cert.setIssuer([{ shortName: 'CN', value: 'placeholder' }]);
    issuerKey = issuer.privateKey;
    aki = keyIdentifier(new X509Certificate(issuer.certDer).publicKey.export({ type: 'spki', format: 'der' }));
  }
  cert.publicKey = placeholder();
  const exts: object[] = [];
  exts.push({
    name: 'basicConstraints',
    cA: !!profile.isCa,
    critical: true,
    ...(profile.isCa && profile.pathLen !== undefined ? { pathLenConstraint: profile.pathLen } : {}),
  });
  exts.push(
    profile.isCa
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true }
      : {
          name: 'keyUsage',
          critical: true,
          digitalSignature: true,
          keyEncipherment: true,
          nonRepudiation: true,
          dataEncipherment: true,
        },
  );
  if (profile.extKeyUsage?.length) {
    exts.push(
      rawExt(
        '2.5.29.37',
        false,
        A.create(
          A.Class.UNIVERSAL,
          A.Type.SEQUENCE,
          true,
          profile.extKeyUsage.map((u) => A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(EKU_OIDS[u]).getBytes())),
        ),
      ),
    );
  }
  exts.push(rawExt('2.5.29.14', false, A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, ski.toString('binary'))));
  exts.push(
    rawExt(
      '2.5.29.35',
      false,
      A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [A.create(A.Class.CONTEXT_SPECIFIC, 0, false, aki.toString('binary'))]),
    ),
  );
  if (profile.san?.length) exts.push(rawExt('2.5.29.17', false, sanToAsn1(profile.san)));
  cert.setExtensions(exts);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  if (issuerName) (tbs.value as forge.asn1.Asn1[])[3] = issuerName;
  // Put the subject's real SubjectPublicKeyInfo in place of the placeholder (index 6 of TBSCertificate).
  (tbs.value as forge.asn1.Asn1[])[6] = A.fromDer(forge.util.createBuffer(spki.toString('binary')), {
    decodeBitStrings: false,
  } as unknown as boolean);
  const tbsDer = Buffer.from(A.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, issuerKey);
  const full = A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
    tbs,
    A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
      A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(forge.pki.oids.sha256WithRSAEncryption!).getBytes()),
      A.create(A.Class.UNIVERSAL, A.Type.NULL, false, ''),
    ]),
    A.create(A.Class.UNIVERSAL, A.Type.BITSTRING, false, `\x00${signature.toString('binary')}`),
  ]);
  const der = Buffer.from(A.toDer(full).getBytes(), 'binary');
  return {
    der,
    pem: derToPem(der),
    serialHex: cert.serialNumber,
    sha1: createHash('sha1').update(der).digest('hex'),
    notBefore,
    notAfter,
  };
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** All PEM CERTIFICATE blocks in a text, as DER. */
export function pemBlocks(text: string, label = 'CERTIFICATE'): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
