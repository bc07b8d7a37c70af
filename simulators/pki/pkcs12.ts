import {
  createCipheriv,
  createHash,
  createHmac,
  hash as oneShotHash,
  pbkdf2Sync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';

/**
 * PKCS#12 writer in the two flavours KeyTalk serves:
 *  - "legacy" (RCDP format P12): certificates in RC2-40 encrypted SafeContents, the key in a
 *    pbeWithSHAAnd3-KeyTripleDES-CBC shrouded bag, SHA-1 MAC — what the real server and `openssl pkcs12 -legacy` emit;
 *  - "aes256" (RCDP format P12v2): PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC for certificates and key, SHA-256 MAC.
 * Written here (not forge's toPkcs12Asn1) because forge leaves the certificates unencrypted and runs its KDFs in JS.
 */
export type P12Flavour = 'legacy' | 'aes256';

export interface P12Options {
  flavour: P12Flavour;
  password: string;
  friendlyName?: string;
  iterations?: number;
}

const A = forge.asn1;
const OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeShaRc2_40: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
};

const seq = (v: forge.asn1.Asn1[]) => A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => A.create(A.Class.UNIVERSAL, A.Type.SET, true, v);
const oid = (o: string) => A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(o).getBytes());
const octets = (b: Buffer) => A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number) => A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, A.integerToDer(n).getBytes());
const explicit0 = (v: forge.asn1.Asn1) => A.create(A.Class.CONTEXT_SPECIFIC, 0, true, [v]);
const nul = () => A.create(A.Class.UNIVERSAL, A.Type.NULL, false, '');
const der = (v: forge.asn1.Asn1) => Buffer.from(A.toDer(v).getBytes(), 'binary');
const fromDer = (b: Buffer) => A.fromDer(forge.util.createBuffer(b.toString('binary')));

function bmpPassword(password: string): Buffer {
  const le = Buffer.from(`${password}\0`, 'utf16le');
  return Buffer.from(le).swap16();
}

/** RFC 7292 appendix B key derivation (id 1 = key, 2 = IV, 3 = MAC key). */
export function pkcs12Kdf(
  hash: 'sha1' | 'sha256',
  password: string,
  salt: Buffer,
  id: number,
  iterations: number,
  size: number,
): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const pass = bmpPassword(password);
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(pass)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < size; produced += u) {
    let a = createHash(hash).update(D).update(I).digest();
    // One-shot hashing: the iteration loop dominates P12 building and crypto.hash is ~2.5× faster than createHash.
    for (let i = 1; i < iterations; i++) a = oneShotHash(hash, a, 'buffer');
    out.push(a);
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = a[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

function rc2Encrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = forge.rc2.createEncryptionCipher(forge.util.createBuffer(key.toString('binary')), 40);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(data.toString('binary')));
  cipher.finish();
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

/** Encrypt a blob per the flavour; returns the AlgorithmIdentifier and ciphertext. */
function pbeEncrypt(flavour: P12Flavour, which: 'cert' | 'key', password: string, data: Buffer, iterations: number) {
  const salt = randomBytes(flavour === 'legacy' ? 8 : 16);
  if (flavour === 'legacy') {
    const params = seq([octets(salt), int(iterations)]);
    if (which === 'cert') {
      const key = pkcs12Kdf('sha1', password, salt, 1, iterations, 5);
      const iv = pkcs12Kdf('sha1', password, salt, 2, iterations, 8);
      return { alg: seq([oid(OIDS.pbeShaRc2_40), params]), ct: rc2Encrypt(key, iv, data) };
    }
    const key = pkcs12Kdf('sha1', password, salt, 1, iterations, 24);
    const iv = pkcs12Kdf('sha1', password, salt, 2, iterations, 8);
    const c = createCipheriv('des-ede3-cbc', key, iv);
    return { alg: seq([oid(OIDS.pbeSha3Des), params]), ct: Buffer.concat([c.update(data), c.final()]) };
  }
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const c = createCipheriv('aes-256-cbc', key, iv);
  const alg = seq([
    oid(OIDS.pbes2),
    seq([
      seq([oid(OIDS.pbkdf2), seq([octets(salt), int(iterations), seq([oid(OIDS.hmacSha256), nul()])])]),
      seq([oid(OIDS.aes256Cbc), octets(iv)]),
    ]),
  ]);
  return { alg, ct: Buffer.concat([c.update(data), c.final()]) };
}

function bagAttributes(localKeyId: Buffer, friendlyName?: string): forge.asn1.Asn1 {
  const attrs = [seq([oid(OIDS.localKeyId), set([octets(localKeyId)])])];
  if (friendlyName) {
    const bmp = Buffer.from(friendlyName, 'utf16le').swap16();
    attrs.push(
      seq([oid(OIDS.friendlyName), set([A.create(A.Class.UNIVERSAL, A.Type.BMPSTRING, false, bmp.toString('binary'))])]),
    );
  }
  return set(attrs);
}

/** A PKCS#12 file with the private key and the certificate chain (leaf first). */
export function buildPkcs12(privateKey: KeyObject, chainDer: Buffer[], options: P12Options): Buffer {
  const iterations = options.iterations ?? 2048;
  const leaf = chainDer[0];
  if (!leaf) throw new Error('PKCS#12 needs at least the leaf certificate');
  const localKeyId = createHash('sha1').update(leaf).digest();
  const certBags = chainDer.map((c, i) =>
    seq([
      oid(OIDS.certBag),
      explicit0(seq([oid(OIDS.x509Certificate), explicit0(octets(c))])),
      ...(i === 0 ? [bagAttributes(localKeyId, options.friendlyName)] : []),
    ]),
  );
  const certSafe = der(seq(certBags));
  const encCerts = pbeEncrypt(options.flavour, 'cert', options.password, certSafe, iterations);
  const encryptedData = seq([
    oid(OIDS.encryptedData),
    explicit0(
      seq([
        int(0),
        seq([oid(OIDS.data), encCerts.alg, A.create(A.Class.CONTEXT_SPECIFIC, 0, false, encCerts.ct.toString('binary'))]),
      ]),
    ),
  ]);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const encKey = pbeEncrypt(options.flavour, 'key', options.password, pkcs8, iterations);
  const shrouded = seq([encKey.alg, octets(encKey.ct)]);
  const keySafe = der(seq([seq([oid(OIDS.keyBag), explicit0(shrouded), bagAttributes(localKeyId, options.friendlyName)])]));
  const keyInfo = seq([oid(OIDS.data), explicit0(octets(keySafe))]);
  const authSafe = der(seq([encryptedData, keyInfo]));
  const macHash = options.flavour === 'legacy' ? 'sha1' : 'sha256';
  const macSalt = randomBytes(options.flavour === 'legacy' ? 8 : 16);
  const macKey = pkcs12Kdf(macHash, options.password, macSalt, 3, iterations, macHash === 'sha1' ? 20 : 32);
  const mac = createHmac(macHash, macKey).update(authSafe).digest();
  const pfx = seq([
    int(3),
    seq([oid(OIDS.data), explicit0(octets(authSafe))]),
    seq([seq([seq([oid(macHash === 'sha1' ? OIDS.sha1 : OIDS.sha256), nul()]), octets(mac)]), octets(macSalt), int(iterations)]),
  ]);
  return der(pfx);
}

/** Read back with forge (handles RC2/3DES/AES) — for tests and the conformance suite. */
export function readPkcs12WithForge(p12: Buffer, password: string): { keyPem: string; certsDer: Buffer[] } {
  const parsed = forge.pkcs12.pkcs12FromAsn1(fromDer(p12), password);
  const keyBags = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  const certBags = parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keyBags[0]?.key;
  if (!key) throw new Error('PKCS#12 has no private key');
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certsDer: certBags.map((b) => Buffer.from(A.toDer(forge.pki.certificateToAsn1(b.cert!)).getBytes(), 'binary')),
  };
}
