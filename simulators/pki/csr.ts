import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { forgeAttrsToSubject, type SubjectFields } from './names';

export interface ParsedCsr {
  subject: SubjectFields;
  publicKey: KeyObject;
  keyType: string;
  /** Modulus bits for RSA, curve bits for EC. */
  keySize: number;
  /** Digest of the CSR signature: "sha1" | "sha256" | "sha384" | "sha512". */
  signingAlgo: string;
  /** SANs from the extensionRequest attribute, spelled "DNS:x", "email:x", "IP:x", "URI:x". */
  san: string[];
}

const SIG_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * Parse and verify a PKCS#10 request (PEM, or bare base64 DER as the spec's "Base64 encoded PKCS#10" allows).
 * Done on the ASN.1 directly because forge's parser rejects non-RSA keys.
 */
export function parseCsr(input: string): ParsedCsr {
  const A = forge.asn1;
  const m = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(input);
  const b64 = (m ? m[1]! : input).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/=]+$/.test(b64) || b64.length < 64) throw new Error('csr is not a PEM or base64 PKCS#10 request');
  const der = Buffer.from(b64, 'base64');
  let root: forge.asn1.Asn1;
  try {
    root = A.fromDer(forge.util.createBuffer(der.toString('binary')), { decodeBitStrings: false } as unknown as boolean);
  } catch (e) {
    throw new Error(`csr is not valid DER: ${(e as Error).message}`);
  }
  const top = root.value as forge.asn1.Asn1[];
  const info = top[0];
  const sigAlg = top[1];
  const sigBits = top[2];
  if (!info || !sigAlg || !sigBits || !Array.isArray(info.value)) throw new Error('csr structure is not a CertificationRequest');
  const infoParts = info.value as forge.asn1.Asn1[];
  const subjectAsn = infoParts[1];
  const spkiAsn = infoParts[2];
  if (!subjectAsn || !spkiAsn) throw new Error('csr lacks subject or public key');
  const spkiDer = Buffer.from(A.toDer(spkiAsn).getBytes(), 'binary');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch (e) {
    throw new Error(`csr public key is unreadable: ${(e as Error).message}`);
  }
  const sigOid = A.derToOid((sigAlg.value as forge.asn1.Asn1[])[0]!.value as string);
  const signingAlgo = SIG_OIDS[sigOid];
  if (!signingAlgo) throw new Error(`csr signature algorithm ${sigOid} is not supported`);
  const infoDer = Buffer.from(A.toDer(info).getBytes(), 'binary');
  const signature = Buffer.from((sigBits.value as string).slice(1), 'binary');
  const ok = verify(signingAlgo, infoDer, publicKey, signature);
  if (!ok) throw new Error('csr signature does not verify against its own public key');
  const details = publicKey.asymmetricKeyDetails ?? {};
  const keySize = details.modulusLength ?? (details.namedCurve ? curveBits(details.namedCurve) : 0);
  const subject = forgeAttrsToSubject(
    (forge.pki as unknown as { RDNAttributesAsArray(a: forge.asn1.Asn1): never }).RDNAttributesAsArray(subjectAsn),
  );
  return {
    subject,
    publicKey,
    keyType: publicKey.asymmetricKeyType ?? 'unknown',
    keySize,
    signingAlgo,
    san: extractSan(infoParts[3]),
  };
}

function curveBits(name: string): number {
  const m = /(\d{3})/.exec(name);
  return m ? Number(m[1]) : 0;
}

function extractSan(attrs: forge.asn1.Asn1 | undefined): string[] {
  const A = forge.asn1;
  if (!attrs || !Array.isArray(attrs.value)) return [];
  const out: string[] = [];
  for (const attr of attrs.value as forge.asn1.Asn1[]) {
    const parts = attr.value as forge.asn1.Asn1[];
    if (A.derToOid(parts[0]!.value as string) !== '1.2.840.113549.1.9.14') continue;
    const exts = ((parts[1]!.value as forge.asn1.Asn1[])[0]!.value ?? []) as forge.asn1.Asn1[];
    for (const ext of exts) {
      const e = ext.value as forge.asn1.Asn1[];
      if (A.derToOid(e[0]!.value as string) !== '2.5.29.17') continue;
      const octets = e[e.length - 1]!.value as string;
      const names = A.fromDer(forge.util.createBuffer(octets)).value as forge.asn1.Asn1[];
      for (const n of names) {
        const v = n.value as string;
        if (n.type === 1) out.push(`email:${v}`);
        else if (n.type === 2) out.push(`DNS:${v}`);
        else if (n.type === 6) out.push(`URI:${v}`);
        else if (n.type === 7) out.push(`IP:${ipString(Buffer.from(v, 'binary'))}`);
      }
    }
  }
  return out;
}

function ipString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  const groups: string[] = [];
  for (let i = 0; i < b.length; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}
