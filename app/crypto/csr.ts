import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const { asn1 } = forge;

/** Subject fields as the RCDP csr-requirements reply names them (2.8.3 uses `ous`; older servers a single `ou`). */
export interface CsrSubject {
  cn?: string;
  c?: string;
  st?: string;
  l?: string;
  o?: string;
  ous?: string[];
  ou?: string;
  e?: string;
}

export interface BuildCsrOptions {
  privateKeyPem: string;
  subject: CsrSubject;
  /** 'email:x', 'DNS:y', 'IP:z', 'URI:u' exactly as the RCDP csr-requirements `san` array spells them. */
  san?: string[];
  /** 'sha256' (default), 'sha1', 'sha384', 'sha512'; 'SHA-256' and 'sha256WithRSAEncryption' are accepted too. */
  signingAlgo?: string;
}

const OID = {
  c: '2.5.4.6',
  st: '2.5.4.8',
  l: '2.5.4.7',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  cn: '2.5.4.3',
  e: '1.2.840.113549.1.9.1',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
} as const;

const RSA_SIG_OIDS: Record<string, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha224: '1.2.840.113549.1.1.14',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const EC_SIG_OIDS: Record<string, string> = {
  sha1: '1.2.840.10045.4.1',
  sha224: '1.2.840.10045.4.3.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

/** Normalise the server's algorithm spelling to a Node digest name. */
export function normalizeDigest(signingAlgo: string | undefined): string {
  const raw = (signingAlgo ?? 'sha256').trim().toLowerCase();
  const m = /^(?:sha-?)(1|224|256|384|512)(?:with.*)?$/.exec(raw) ?? /^(1|224|256|384|512)$/.exec(raw);
  if (!m) {
    throw new Error(`Unsupported CSR signing algorithm "${signingAlgo}"; expected one of sha1, sha224, sha256, sha384, sha512`);
  }
  return `sha${m[1]}`;
}

// PrintableString where the value allows it (what most CAs expect), UTF8String for anything else so that
// non-ASCII names survive; forge would otherwise emit raw bytes under a PrintableString tag.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function directoryString(value: string): forge.asn1.Asn1 {
  if (PRINTABLE.test(value)) return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value));
}

function rdn(oid: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      value,
    ]),
  ]);
}

function present(v: string | undefined): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** Subject Name in the usual C, ST, L, O, OU…, CN, emailAddress order; each OU its own RDN. Empty fields are left out. */
export function buildSubjectName(subject: CsrSubject): forge.asn1.Asn1 {
  const rdns: forge.asn1.Asn1[] = [];
  if (present(subject.c)) {
    const c = subject.c.trim();
    if (!/^[A-Za-z]{2}$/.test(c))
      throw new Error(`CSR subject country "${subject.c}" must be a two-letter ISO 3166 code such as NL`);
    rdns.push(rdn(OID.c, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, c.toUpperCase())));
  }
  if (present(subject.st)) rdns.push(rdn(OID.st, directoryString(subject.st)));
  if (present(subject.l)) rdns.push(rdn(OID.l, directoryString(subject.l)));
  if (present(subject.o)) rdns.push(rdn(OID.o, directoryString(subject.o)));
  const ous = [...(subject.ous ?? []), ...(present(subject.ou) ? [subject.ou] : [])].filter(present);
  for (const ou of ous) rdns.push(rdn(OID.ou, directoryString(ou)));
  if (present(subject.cn)) rdns.push(rdn(OID.cn, directoryString(subject.cn)));
  if (present(subject.e)) {
    // PKCS#9 emailAddress is IA5String by definition; OpenSSL rejects a CSR that encodes it otherwise.
    if (!/^[\x20-\x7e]+$/.test(subject.e)) throw new Error(`CSR subject e-mail "${subject.e}" must be plain ASCII`);
    rdns.push(rdn(OID.e, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.IA5STRING, false, subject.e)));
  }
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, rdns);
}

function ipBytes(ip: string): string {
  const kind = isIP(ip);
  if (kind === 4) return String.fromCharCode(...ip.split('.').map(Number));
  if (kind === 6) {
    // Expand "::" then pack eight 16-bit groups; an embedded IPv4 tail is converted to two groups first.
    let text = ip;
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const p = v4[1]!.split('.').map(Number);
      text = text.slice(0, -v4[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
    }
    const [head, tail] = text.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return groups.map((g) => String.fromCharCode(parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff)).join('');
  }
  throw new Error(`SAN "IP:${ip}" is not a valid IPv4 or IPv6 address`);
}

/** One GeneralName from the RCDP spelling ('email:', 'DNS:', 'IP:', 'URI:'; the prefix is case-insensitive). */
export function generalName(entry: string): forge.asn1.Asn1 {
  const idx = entry.indexOf(':');
  const kind = idx > 0 ? entry.slice(0, idx).trim().toLowerCase() : '';
  const value = idx > 0 ? entry.slice(idx + 1).trim() : '';
  if (!value) throw new Error(`SAN entry "${entry}" has no value; expected e.g. "DNS:host.example.com"`);
  const ia5 = (tag: number): forge.asn1.Asn1 => {
    if (!/^[\x21-\x7e]+$/.test(value))
      throw new Error(`SAN entry "${entry}" must be plain ASCII without spaces (use punycode for IDNs)`);
    return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, value);
  };
  switch (kind) {
    case 'email':
    case 'rfc822':
    case 'rfc822name':
      return ia5(1);
    case 'dns':
      return ia5(2);
    case 'uri':
      return ia5(6);
    case 'ip':
    case 'ip address':
      return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, ipBytes(value));
    default:
      throw new Error(`SAN entry "${entry}" has an unsupported type; use email:, DNS:, IP: or URI:`);
  }
}

function keyAlgorithm(key: KeyObject): 'rsa' | 'ec' {
  const t = key.asymmetricKeyType;
  if (t === 'rsa' || t === 'ec') return t;
  throw new Error(`CSR keys must be RSA or EC, not ${t ?? 'unknown'}`);
}

/**
 * Build and sign a PKCS#10 request. The CertificationRequestInfo is assembled with forge's ASN.1 helpers (so string
 * types are chosen deliberately) and signed by Node's crypto, which is ~50x faster than forge and also handles EC keys.
 */
export function buildCsr(opts: BuildCsrOptions): string {
  let key: KeyObject;
  try {
    key = createPrivateKey(opts.privateKeyPem);
  } catch (err) {
    throw new Error(`CSR private key is not a readable unencrypted PEM key: ${(err as Error).message}`);
  }
  const alg = keyAlgorithm(key);
  const digest = normalizeDigest(opts.signingAlgo);
  const sigOid = (alg === 'rsa' ? RSA_SIG_OIDS : EC_SIG_OIDS)[digest]!;

  const spkiDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const spki = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary')));

  const attributes: forge.asn1.Asn1[] = [];
  const sans = (opts.san ?? []).filter((s) => s.trim() !== '');
  if (sans.length > 0) {
    const generalNames = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, sans.map(generalName));
    const extensions = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID.subjectAltName).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(generalNames).getBytes()),
      ]),
    ]);
    attributes.push(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID.extensionRequest).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [extensions]),
      ]),
    );
  }

  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes()),
    buildSubjectName(opts.subject),
    spki,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
  ]);
  const infoDer = Buffer.from(asn1.toDer(info).getBytes(), 'binary');
  const signature = sign(digest, infoDer, key);

  const algId = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(sigOid).getBytes()),
    // RSA signature algorithms carry explicit NULL parameters; ECDSA ones carry none (RFC 5754 / RFC 5758).
    ...(alg === 'rsa' ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')] : []),
  ]);
  const csr = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    info,
    algId,
    // BIT STRING: leading 0x00 = no unused bits.
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\x00${signature.toString('binary')}`),
  ]);
  const der = Buffer.from(asn1.toDer(csr).getBytes(), 'binary');
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`;
}
