/**
 * Builds PKCS#12 files for the file store and for importing into NSS / Windows / macOS.
 *
 * Two formats, because consumers disagree:
 * - modern (default): PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC for both the key bag and the certificate bag,
 *   HMAC-SHA256 MAC. This is what OpenSSL 3 writes by default and what current Windows/macOS/NSS read.
 * - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC for the key, pbeWithSHAAnd40BitRC2-CBC for the certificates,
 *   HMAC-SHA1 MAC. Older software (Windows 7/Server 2012, old Java, macOS < 10.15 keychains) reads only this.
 *
 * The structure is assembled here with node-forge's ASN.1 encoder rather than forge.pkcs12.toPkcs12Asn1
 * because forge always writes a SHA-1 MAC and unencrypted certificates, and cannot write the RC2 certificate
 * bag old software expects. Node's crypto does PBKDF2/AES/3DES (fast, native); only RC2 (absent from
 * OpenSSL 3's default provider) and the PKCS#12 key derivation come from forge.
 */
import { createCipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface BuildPkcs12Options {
  certPem: string;
  /** Private key in any PEM form Node reads (PKCS#8, PKCS#1, SEC1); stored as PKCS#8. */
  keyPem: string;
  /** Issuer chain, leaf's issuer first. */
  chainPem: string[];
  password: string;
  /** Shown by pk12util as the NSS nickname, by Windows as the friendly name. */
  friendlyName?: string;
  /** Write the 3DES/RC2-40/SHA-1 format instead of AES-256/PBKDF2-SHA256. */
  legacy?: boolean;
  /** Iterations for key derivation and the MAC. OpenSSL's default is 2048. */
  iterations?: number;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.2', // pkcs8ShroudedKeyBag
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeShaRc2_40: '1.2.840.113549.1.12.1.6',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

const asn1 = forge.asn1;
type Asn1 = forge.asn1.Asn1;
const { Class, Type } = asn1;

const seq = (items: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const set = (items: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, items);
const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
const explicit0 = (inner: Asn1) => asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const der = (a: Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');

// forge's DER encoder turns a BMPSTRING value into UTF-16BE code units itself, so it takes the JS string as is.
const bmpString = (s: string) => asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, s);

/** RFC 7292 appendix B key derivation (the "PKCS#12 KDF"); id 1 = key, 2 = IV, 3 = MAC key. */
function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, n: number, md: 'sha1' | 'sha256'): Buffer {
  const mdObj = md === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create();
  const bytes = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.toString('binary')), id, iterations, n, mdObj);
  return Buffer.from(bytes.getBytes(), 'binary');
}

interface Encrypted {
  algorithm: Asn1;
  ciphertext: Buffer;
}

/** PBES2 (RFC 8018) with PBKDF2-HMAC-SHA256 and AES-256-CBC; the password is used as UTF-8, as OpenSSL does. */
function encryptPbes2(plain: Buffer, password: string, iterations: number): Encrypted {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const algorithm = seq([
    oid(OID.pbes2),
    seq([
      seq([oid(OID.pbkdf2), seq([octets(salt), int(iterations), seq([oid(OID.hmacWithSha256), nul()])])]),
      seq([oid(OID.aes256Cbc), octets(iv)]),
    ]),
  ]);
  return { algorithm, ciphertext };
}

function encryptLegacy(plain: Buffer, password: string, iterations: number, scheme: '3des' | 'rc2-40'): Encrypted {
  const salt = randomBytes(8);
  const algorithm = seq([oid(scheme === '3des' ? OID.pbeSha3Des : OID.pbeShaRc2_40), seq([octets(salt), int(iterations)])]);
  if (scheme === '3des') {
    const key = pkcs12Kdf(password, salt, 1, iterations, 24, 'sha1');
    const iv = pkcs12Kdf(password, salt, 2, iterations, 8, 'sha1');
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    return { algorithm, ciphertext: Buffer.concat([cipher.update(plain), cipher.final()]) };
  }
  const key = pkcs12Kdf(password, salt, 1, iterations, 5, 'sha1');
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8, 'sha1');
  const cipher = forge.rc2.createEncryptionCipher(forge.util.createBuffer(key.toString('binary')), 40);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(plain.toString('binary')));
  if (!cipher.finish()) throw new Error('RC2 encryption failed');
  return { algorithm, ciphertext: Buffer.from(cipher.output.getBytes(), 'binary') };
}

function pemToDer(pem: string, what: string): Buffer {
  try {
    return new X509Certificate(pem).raw;
  } catch (err) {
    throw new Error(
      `${what} is not a readable PEM certificate (${(err as Error).message}); pass the PEM text including the BEGIN/END lines`,
    );
  }
}

function bagAttributes(friendlyName: string | undefined, localKeyId: Buffer | undefined): Asn1[] {
  const attrs: Asn1[] = [];
  if (friendlyName) attrs.push(seq([oid(OID.friendlyName), set([bmpString(friendlyName)])]));
  if (localKeyId) attrs.push(seq([oid(OID.localKeyId), set([octets(localKeyId)])]));
  return attrs.length ? [set(attrs)] : [];
}

/** Build a PKCS#12 (PFX) holding the key, the certificate and its chain. Returns the DER bytes. */
export function buildPkcs12(opts: BuildPkcs12Options): Buffer {
  const iterations = opts.iterations ?? 2048;
  const leafDer = pemToDer(opts.certPem, 'the certificate');
  const chainDers = opts.chainPem.map((p, i) => pemToDer(p, `chain certificate ${i + 1}`));
  let keyDer: Buffer;
  try {
    keyDer = createPrivateKey(opts.keyPem).export({ type: 'pkcs8', format: 'der' });
  } catch (err) {
    throw new Error(`the private key is not a readable unencrypted PEM key (${(err as Error).message})`);
  }
  if (!new X509Certificate(leafDer).checkPrivateKey(createPrivateKey(opts.keyPem))) {
    throw new Error('the private key does not belong to the certificate; check that the enrollment returned the matching pair');
  }
  // OpenSSL and pk12util pair key and certificate through localKeyId; SHA-1 of the certificate is the convention.
  const localKeyId = createHash('sha1').update(leafDer).digest();

  const certBag = (d: Buffer, leaf: boolean) =>
    seq([
      oid(OID.certBag),
      explicit0(seq([oid(OID.x509Certificate), explicit0(octets(d))])),
      ...(leaf ? bagAttributes(opts.friendlyName, localKeyId) : []),
    ]);
  const certSafe = der(seq([certBag(leafDer, true), ...chainDers.map((d) => certBag(d, false))]));

  const keyEnc = opts.legacy
    ? encryptLegacy(keyDer, opts.password, iterations, '3des')
    : encryptPbes2(keyDer, opts.password, iterations);
  const encryptedKeyInfo = seq([keyEnc.algorithm, octets(keyEnc.ciphertext)]);
  const keySafe = der(
    seq([seq([oid(OID.keyBag), explicit0(encryptedKeyInfo), ...bagAttributes(opts.friendlyName, localKeyId)])]),
  );

  const certEnc = opts.legacy
    ? encryptLegacy(certSafe, opts.password, iterations, 'rc2-40')
    : encryptPbes2(certSafe, opts.password, iterations);
  const encryptedCerts = seq([
    oid(OID.encryptedData),
    explicit0(
      seq([
        int(0),
        seq([
          oid(OID.data),
          certEnc.algorithm,
          asn1.create(Class.CONTEXT_SPECIFIC, 0, false, certEnc.ciphertext.toString('binary')),
        ]),
      ]),
    ),
  ]);
  const plainKeys = seq([oid(OID.data), explicit0(octets(keySafe))]);
  const authSafe = der(seq([encryptedCerts, plainKeys]));

  const macMd = opts.legacy ? 'sha1' : 'sha256';
  const macSalt = randomBytes(opts.legacy ? 8 : 16);
  const macKey = pkcs12Kdf(opts.password, macSalt, 3, iterations, opts.legacy ? 20 : 32, macMd);
  const mac = createHmac(macMd, macKey).update(authSafe).digest();
  const pfx = seq([
    int(3),
    seq([oid(OID.data), explicit0(octets(authSafe))]),
    seq([seq([seq([oid(opts.legacy ? OID.sha1 : OID.sha256), nul()]), octets(mac)]), octets(macSalt), int(iterations)]),
  ]);
  return der(pfx);
}
