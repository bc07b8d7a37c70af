import { createPrivateKey, createPublicKey, pbkdf2Sync, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { derToPem } from './pem';

export interface Pkcs12Contents {
  /** The certificate whose public key matches the private key (the end-entity certificate). */
  certPem: string;
  /** Unencrypted PKCS#8 PEM: in memory only; a store encrypts it again before it reaches disk. */
  keyPem: string;
  /** The other certificates, issuer of the leaf first when the chain can be ordered. */
  chainPem: string[];
  friendlyName?: string;
}

type Pbkdf2 = typeof forge.pkcs5.pbkdf2;

/**
 * forge's PBKDF2 is pure JavaScript; modern (PBES2/AES) P12s from NSS or OpenSSL 3 use 100k–600k iterations,
 * which takes seconds in JS. This drop-in calls Node's native PBKDF2 for the synchronous form forge uses and
 * produces the same bytes; it is only installed for the duration of one synchronous parse.
 */
function nativePbkdf2(original: Pbkdf2): Pbkdf2 {
  return ((password: string, salt: string, iterations: number, keyLength: number, md?: unknown, callback?: unknown) => {
    if (callback !== undefined || typeof password !== 'string' || typeof salt !== 'string') {
      return (original as (...a: unknown[]) => unknown)(password, salt, iterations, keyLength, md, callback);
    }
    const name = typeof md === 'string' ? md : ((md as { algorithm?: string } | undefined)?.algorithm ?? 'sha1');
    const digest = name.replace(/^sha-?/i, 'sha').toLowerCase();
    return pbkdf2Sync(Buffer.from(password, 'binary'), Buffer.from(salt, 'binary'), iterations, keyLength, digest).toString(
      'binary',
    );
  }) as Pbkdf2;
}

function withNativePbkdf2<T>(fn: () => T): T {
  const original = forge.pkcs5.pbkdf2;
  forge.pkcs5.pbkdf2 = nativePbkdf2(original);
  try {
    return fn();
  } finally {
    forge.pkcs5.pbkdf2 = original;
  }
}

interface Bag {
  key?: forge.pki.PrivateKey | null;
  cert?: forge.pki.Certificate | null;
  asn1?: forge.asn1.Asn1;
  attributes: Record<string, unknown[] | undefined>;
  type: string;
}

function keyFromBag(bag: Bag): KeyObject {
  let der: string;
  if (bag.key) {
    // forge only materialises RSA keys; wrap its PKCS#1 structure into PKCS#8 for Node.
    der = forge.asn1
      .toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey)))
      .getBytes();
  } else if (bag.asn1) {
    // EC (and any other) keys: forge leaves the decrypted PrivateKeyInfo ASN.1 on the bag; Node reads it.
    der = forge.asn1.toDer(bag.asn1).getBytes();
  } else {
    throw new Error('PKCS#12 key bag is empty');
  }
  return createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs8' });
}

function certFromBag(bag: Bag): X509Certificate | undefined {
  const asn = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  if (!asn) return undefined;
  return new X509Certificate(Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary'));
}

function friendlyNameOf(bag: Bag): string | undefined {
  const v = bag.attributes.friendlyName?.[0];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function explainOpenError(err: unknown): Error {
  const msg = (err as Error).message ?? String(err);
  if (/MAC could not be verified|Invalid password|wrong password|decrypt/i.test(msg)) {
    return new Error(
      'Wrong password for the PKCS#12 (.p12/.pfx) file: its integrity check failed; enter the password it was exported with',
    );
  }
  if (/unsupported/i.test(msg)) return new Error(`This PKCS#12 file uses an algorithm the agent cannot read (${msg})`);
  return new Error(`Not a readable PKCS#12 (.p12/.pfx) file: ${msg}`);
}

/** Order `rest` so each certificate is followed by its issuer, starting from the leaf's issuer. */
function orderChain(leaf: X509Certificate, rest: X509Certificate[]): X509Certificate[] {
  const ordered: X509Certificate[] = [];
  const pool = [...rest];
  let current = leaf;
  for (;;) {
    const i = pool.findIndex((c) => current.checkIssued(c) && c.fingerprint256 !== current.fingerprint256);
    if (i < 0) break;
    current = pool.splice(i, 1)[0]!;
    ordered.push(current);
  }
  return [...ordered, ...pool];
}

/**
 * Read a PKCS#12 container: legacy RC2-40/3DES (what KeyTalk servers send), 3DES, and PBES2/AES (P12v2, NSS,
 * OpenSSL 3). Works for RSA and EC keys. A wrong password is reported as such, not as a parse error.
 */
/**
 * Let OpenSSL check the integrity MAC when it can: its PKCS#12 key derivation is native, while forge's takes
 * seconds at the 600k iterations NSS and modern exporters use. Returns 'verified', 'wrong-password', or
 * 'unsupported' (legacy RC2 files, which OpenSSL 3 refuses without its legacy provider, or files without a key).
 */
function nativeMacCheck(der: Uint8Array, password: string): 'verified' | 'wrong-password' | 'unsupported' {
  try {
    createSecureContext({ pfx: Buffer.from(der), passphrase: password });
    return 'verified';
  } catch (err) {
    return /mac verify failure/i.test((err as Error).message) ? 'wrong-password' : 'unsupported';
  }
}

/** PFX ::= SEQUENCE { version, authSafe, macData OPTIONAL }: drop macData once OpenSSL has verified it. */
function withoutMac(asn: forge.asn1.Asn1): forge.asn1.Asn1 {
  const parts = asn.value as forge.asn1.Asn1[];
  if (parts.length === 3) asn.value = parts.slice(0, 2);
  return asn;
}

export function parsePkcs12(der: Uint8Array, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    const mac = nativeMacCheck(der, password);
    if (mac === 'wrong-password') throw new Error('MAC could not be verified');
    p12 = withNativePbkdf2(() => forge.pkcs12.pkcs12FromAsn1(mac === 'verified' ? withoutMac(asn) : asn, false, password));
  } catch (err) {
    throw explainOpenError(err);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ] as unknown as Bag[];
  const certBags = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []) as unknown as Bag[];
  if (keyBags.length === 0) throw new Error('The PKCS#12 file holds no private key; export it again including the key');
  if (certBags.length === 0) throw new Error('The PKCS#12 file holds no certificate; export it again including the certificate');
  if (keyBags.length > 1) throw new Error(`The PKCS#12 file holds ${keyBags.length} private keys; the agent expects exactly one`);

  const keyBag = keyBags[0]!;
  const key = keyFromBag(keyBag);
  const keySpki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const certs = certBags
    .map((bag) => ({ bag, x509: certFromBag(bag) }))
    .filter((c): c is { bag: Bag; x509: X509Certificate } => !!c.x509);
  const leafIndex = certs.findIndex((c) => c.x509.publicKey.export({ type: 'spki', format: 'der' }).equals(keySpki));
  if (leafIndex < 0) throw new Error('The PKCS#12 file has no certificate that matches its private key');
  const leaf = certs[leafIndex]!;
  const chain = orderChain(
    leaf.x509,
    // Some exporters repeat the leaf or a CA; keep each certificate once.
    certs
      .map((c) => c.x509)
      .filter(
        (c, i, all) =>
          c.fingerprint256 !== leaf.x509.fingerprint256 && all.findIndex((o) => o.fingerprint256 === c.fingerprint256) === i,
      ),
  );
  return {
    certPem: derToPem(leaf.x509.raw, 'CERTIFICATE'),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    chainPem: chain.map((c) => derToPem(c.raw, 'CERTIFICATE')),
    friendlyName: friendlyNameOf(leaf.bag) ?? friendlyNameOf(keyBag),
  };
}
