import { constants, createDecipheriv, createPrivateKey, privateDecrypt, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { splitPemBlocks } from './pem';

const { asn1 } = forge;
type Node = forge.asn1.Asn1;

/**
 * Decryption of the RCDP seat-authentication challenge: CMS EnvelopedData (RFC 5652) or AuthEnvelopedData
 * (RFC 5083, AES-GCM) addressed to the seat certificate by issuer+serial or by subjectKeyIdentifier.
 * The structure is walked with forge's ASN.1 reader. The content-encryption key is unwrapped by forge for RSA
 * PKCS#1 v1.5 (Node 20 refuses that padding since the CVE-2023-46809 fix) and by Node for RSA-OAEP; the content
 * itself is decrypted by Node. forge's own PKCS#7 reader is not used: it rejects OAEP parameters,
 * subjectKeyIdentifier recipients and AES-GCM.
 */

const OID = {
  envelopedData: '1.2.840.113549.1.7.3',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaOaep: '1.2.840.113549.1.1.7',
  subjectKeyIdentifier: '2.5.29.14',
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const CONTENT_CIPHERS: Record<string, { name: string; keyLength: number; gcm?: boolean }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.6': { name: 'aes-128-gcm', keyLength: 16, gcm: true },
  '2.16.840.1.101.3.4.1.26': { name: 'aes-192-gcm', keyLength: 24, gcm: true },
  '2.16.840.1.101.3.4.1.46': { name: 'aes-256-gcm', keyLength: 32, gcm: true },
};

const kids = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);
const bytes = (n: Node | undefined): Buffer => Buffer.from(typeof n?.value === 'string' ? n.value : '', 'binary');
const oidOf = (n: Node | undefined): string => asn1.derToOid(typeof n?.value === 'string' ? n.value : '');
const isCtx = (n: Node | undefined, tag: number): boolean => n?.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === tag;
const der = (n: Node): Buffer => Buffer.from(asn1.toDer(n).getBytes(), 'binary');

/**
 * The RCDP relays the challenge as base64 of the DER ContentInfo; older servers may relay a whole S/MIME
 * message (MIME headers + base64 body) or PEM. Accept all three and return the DER.
 */
function envelopeDer(input: string): Buffer {
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) {
    const block = splitPemBlocks(text)[0];
    if (!block) throw new Error('The encrypted challenge PEM has no complete block');
    return Buffer.from(
      block
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join(''),
      'base64',
    );
  }
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(text)) {
    throw new Error('The encrypted challenge is not base64; the server reply is malformed');
  }
  const decoded = Buffer.from(text, 'base64');
  const head = decoded.subarray(0, 256).toString('latin1');
  if (/^(MIME-Version|Content-)/i.test(head)) {
    const mime = decoded.toString('latin1').replace(/\r/g, '');
    const sep = mime.indexOf('\n\n');
    if (sep < 0) throw new Error('The encrypted challenge is an S/MIME message without a body');
    return Buffer.from(mime.slice(sep + 2).replace(/\s+/g, ''), 'base64');
  }
  return decoded;
}

// RSAES-OAEP-params: [0] hashAlgorithm, [1] maskGenAlgorithm (MGF1 + hash), [2] pSourceAlgorithm; absent = SHA-1.
function oaepHash(params: Node | undefined): string {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  for (const field of kids(params)) {
    const algId = kids(field)[0];
    if (isCtx(field, 0)) hash = HASH_OIDS[oidOf(kids(algId)[0])] ?? 'unsupported';
    if (isCtx(field, 1)) mgfHash = HASH_OIDS[oidOf(kids(kids(algId)[1])[0])] ?? 'unsupported';
    if (isCtx(field, 2)) throw new Error('RSA-OAEP with a label (pSourceAlgorithm) is not supported for the seat challenge');
  }
  if (hash === 'unsupported' || mgfHash !== hash) {
    throw new Error('RSA-OAEP parameters of the seat challenge are not supported (the hash and MGF1 hash must match)');
  }
  return hash;
}

interface SeatIdentity {
  issuerDer: Buffer;
  serial: Buffer;
  ski?: Buffer;
  key: KeyObject;
  forgeKey: forge.pki.rsa.PrivateKey;
}

function seatIdentity(keyPem: string, certPem: string): SeatIdentity {
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(certPem);
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new Error(`The seat certificate or key is not readable: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(`The seat key must be RSA for the seat challenge, not ${key.asymmetricKeyType}`);
  const tbs = kids(kids(asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary'))))[0]);
  const off = isCtx(tbs[0], 0) ? 1 : 0;
  const extWrapper = tbs.find((n) => isCtx(n, 3));
  const skiExt = kids(kids(extWrapper)[0]).find((e) => oidOf(kids(e)[0]) === OID.subjectKeyIdentifier);
  const skiOctets = skiExt ? kids(skiExt)[kids(skiExt).length - 1] : undefined;
  return {
    issuerDer: der(tbs[off + 2]!),
    serial: bytes(tbs[off]),
    ski: skiOctets ? bytes(asn1.fromDer(skiOctets.value as string)) : undefined,
    key,
    forgeKey: forge.pki.privateKeyFromPem(key.export({ type: 'pkcs8', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey,
  };
}

/** The KeyTransRecipientInfo addressed to `me` (issuer+serial or subjectKeyIdentifier), if any. */
function findRecipient(recipientInfos: Node[], me: SeatIdentity): Node[] | undefined {
  for (const ri of recipientInfos) {
    // Only KeyTransRecipientInfo is a plain SEQUENCE; kari/kekri/pwri/ori are context-tagged choices.
    if (ri.tagClass !== asn1.Class.UNIVERSAL) continue;
    const [, rid] = kids(ri);
    if (isCtx(rid, 0)) {
      if (me.ski && bytes(rid).equals(me.ski)) return kids(ri);
    } else if (rid) {
      const [issuer, serial] = kids(rid);
      if (issuer && der(issuer).equals(me.issuerDer) && bytes(serial).equals(me.serial)) return kids(ri);
    }
  }
  return undefined;
}

function unwrapKey(ktri: Node[], me: SeatIdentity): Buffer {
  const alg = kids(ktri[2]);
  const encryptedKey = bytes(ktri[3]);
  const algorithm = oidOf(alg[0]);
  if (algorithm === OID.rsaOaep) {
    return privateDecrypt({ key: me.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg[1]) }, encryptedKey);
  }
  if (algorithm === OID.rsaEncryption) {
    return Buffer.from(me.forgeKey.decrypt(encryptedKey.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
  }
  throw new Error(`the challenge uses key transport algorithm ${algorithm}, which the agent does not support`);
}

/** [0] IMPLICIT OCTET STRING, primitive or constructed from several OCTET STRING pieces. */
function contentBytes(n: Node | undefined): Buffer {
  if (!n) throw new Error('the encrypted content is missing (detached content is not supported)');
  return Array.isArray(n.value) ? Buffer.concat(kids(n).map(contentBytes)) : bytes(n);
}

/** Decrypt the RCDP seat challenge (base64 DER, S/MIME or PEM) with the seat's RSA key; returns the plaintext. */
export function decryptCmsEnvelope(base64Der: string, keyPem: string, certPem: string): Buffer {
  let content: Node[];
  let authenticated: boolean;
  try {
    const ci = kids(asn1.fromDer(forge.util.createBuffer(envelopeDer(base64Der).toString('binary'))));
    const type = oidOf(ci[0]);
    if (type !== OID.envelopedData && type !== OID.authEnvelopedData)
      throw new Error(`content type ${type} is not EnvelopedData`);
    authenticated = type === OID.authEnvelopedData;
    content = kids(kids(ci[1])[0]);
  } catch (err) {
    throw new Error(`The encrypted challenge is not a readable CMS EnvelopedData message: ${(err as Error).message}`);
  }
  const me = seatIdentity(keyPem, certPem);
  const rest = content.slice(isCtx(content[1], 0) ? 2 : 1); // skip version and optional originatorInfo
  const [recipientSet, encInfoNode] = rest;
  const ktri = findRecipient(kids(recipientSet), me);
  if (!ktri) {
    throw new Error(
      'The encrypted challenge is not addressed to this seat certificate (issuer/serial or key identifier differ); renew the seat certificate or pick the latest one',
    );
  }

  const encInfo = kids(encInfoNode);
  const algId = kids(encInfo[1]);
  const cipher = CONTENT_CIPHERS[oidOf(algId[0])];
  if (!cipher) throw new Error(`The seat challenge uses content cipher ${oidOf(algId[0])}, which the agent does not support`);
  try {
    const cek = unwrapKey(ktri, me);
    if (cek.length !== cipher.keyLength)
      throw new Error(`unwrapped key has ${cek.length} bytes, ${cipher.name} needs ${cipher.keyLength}`);
    const ciphertext = contentBytes(encInfo.find((n) => isCtx(n, 0)));
    if (cipher.gcm) {
      // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }; the tag is the mac field.
      const nonce = bytes(kids(algId[1])[0]);
      const afterInfo = rest.slice(2);
      const authAttrs = afterInfo.find((n) => isCtx(n, 1));
      const mac = afterInfo.find((n) => n.tagClass === asn1.Class.UNIVERSAL && n.type === asn1.Type.OCTETSTRING);
      if (!authenticated || !mac) throw new Error('AES-GCM content without an authentication tag');
      const decipher = createDecipheriv(cipher.name as 'aes-256-gcm', cek, nonce, { authTagLength: bytes(mac).length });
      decipher.setAuthTag(bytes(mac));
      if (authAttrs) {
        const aad = der(authAttrs);
        aad[0] = 0x31; // authenticated attributes are MACed as a SET OF, not with their [1] tag
        decipher.setAAD(aad);
      }
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    const decipher = createDecipheriv(cipher.name, cek, bytes(algId[1]));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (err) {
    throw new Error(
      `Could not decrypt the seat challenge with the seat key (${(err as Error).message}); the key does not match the certificate or the message is damaged`,
    );
  }
}
