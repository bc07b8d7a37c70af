import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { keyCacheServes, nextCachedKey } from '../pki/key-cache';

/**
 * The simulator's PKI: root CA → issuing CA → (TLS server certificate, user certificates), plus a "rogue" CA that
 * carries the issuing CA's subject name but its own key, so a certificate it signs looks right by name and fails
 * only on the signature (the fault a client must catch). Persisted in the state folder so a restarted simulator
 * keeps the CA a client has already pinned.
 */

export interface CaMaterial {
  rootCertPem: string;
  rootKeyPem: string;
  issuingCertPem: string;
  issuingKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  rogueCertPem: string;
  rogueKeyPem: string;
}

export interface IssueOptions {
  username: string;
  lifetimeSeconds: number;
  /** 'rogue' signs with the look-alike CA (a certificate that does not chain). */
  signer?: 'issuing' | 'rogue';
  /** Put this public key in the certificate instead of the CSR's (a certificate that does not match the key). */
  replacePublicKeyPem?: string;
}

async function rsaKeyPem(bits = 2048): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  if (keyCacheServes(bits)) {
    // Test runs only (simulators/pki/key-cache.ts): a key no other part of this process has.
    const { privateKey, publicKey } = await nextCachedKey();
    return {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => (err ? reject(err) : resolve({ privateKeyPem, publicKeyPem })),
    );
  });
}

function serialHex(): string {
  // Positive INTEGER: clear the top bit, and keep the first byte non-zero so DER needs no padding byte.
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

function keyId(publicKey: forge.pki.PublicKey): string {
  return forge.pki.getPublicKeyFingerprint(publicKey, { type: 'RSAPublicKey', md: forge.md.sha1.create() }).getBytes();
}

interface CertSpec {
  subject: forge.pki.CertificateField[];
  publicKey: forge.pki.PublicKey;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey };
  /** Self-signed: the signing key. */
  selfKey?: forge.pki.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}

function makeCert(spec: CertSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = serialHex();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  const issuerKey = spec.issuer ? spec.issuer.cert.publicKey : spec.publicKey;
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : spec.subject);
  cert.setExtensions([
    ...spec.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: keyId(issuerKey) },
  ]);
  cert.sign((spec.issuer?.key ?? spec.selfKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return cert;
}

const caExtensions = (pathLen?: number): object[] => [
  { name: 'basicConstraints', cA: true, critical: true, ...(pathLen !== undefined ? { pathLenConstraint: pathLen } : {}) },
  { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
];

const years = (n: number): Date => new Date(Date.now() + n * 365 * 86_400_000);
const minutesAgo = (n: number): Date => new Date(Date.now() - n * 60_000);

export async function createCaMaterial(caName: string): Promise<CaMaterial> {
  const [root, issuing, server, rogue] = await Promise.all([rsaKeyPem(), rsaKeyPem(), rsaKeyPem(), rsaKeyPem()]);
  const fk = (pem: string): forge.pki.PrivateKey => forge.pki.privateKeyFromPem(pem);
  const fp = (pem: string): forge.pki.PublicKey => forge.pki.publicKeyFromPem(pem);
  const org = { name: 'organizationName', value: caName };
  const rootCert = makeCert({
    subject: [{ name: 'countryName', value: 'NL' }, org, { name: 'commonName', value: `${caName} Root CA` }],
    publicKey: fp(root.publicKeyPem),
    selfKey: fk(root.privateKeyPem),
    notBefore: minutesAgo(60),
    notAfter: years(20),
    extensions: caExtensions(),
  });
  const issuingSubject = [{ name: 'countryName', value: 'NL' }, org, { name: 'commonName', value: `${caName} Issuing CA` }];
  const issuingCert = makeCert({
    subject: issuingSubject,
    publicKey: fp(issuing.publicKeyPem),
    issuer: { cert: rootCert, key: fk(root.privateKeyPem) },
    notBefore: minutesAgo(60),
    notAfter: years(10),
    extensions: caExtensions(0),
  });
  const serverCert = makeCert({
    subject: [{ name: 'countryName', value: 'NL' }, org, { name: 'commonName', value: 'localhost' }],
    publicKey: fp(server.publicKeyPem),
    issuer: { cert: issuingCert, key: fk(issuing.privateKeyPem) },
    notBefore: minutesAgo(60),
    notAfter: years(2),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const rogueCert = makeCert({
    subject: issuingSubject,
    publicKey: fp(rogue.publicKeyPem),
    selfKey: fk(rogue.privateKeyPem),
    notBefore: minutesAgo(60),
    notAfter: years(10),
    extensions: caExtensions(0),
  });
  const pem = (c: forge.pki.Certificate): string => forge.pki.certificateToPem(c).replace(/\r\n/g, '\n');
  return {
    rootCertPem: pem(rootCert),
    rootKeyPem: root.privateKeyPem,
    issuingCertPem: pem(issuingCert),
    issuingKeyPem: issuing.privateKeyPem,
    serverCertPem: pem(serverCert),
    serverKeyPem: server.privateKeyPem,
    rogueCertPem: pem(rogueCert),
    rogueKeyPem: rogue.privateKeyPem,
  };
}

/** Load the CA from `<stateDir>/ca.json`, or create and save it (0600: it holds private keys). */
export async function loadOrCreateCa(stateDir: string, caName: string): Promise<CaMaterial> {
  const file = path.join(stateDir, 'ca.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as CaMaterial;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is unreadable (${(err as Error).message}); delete it to create a new simulator CA`);
    }
  }
  const material = await createCaMaterial(caName);
  await fs.mkdir(stateDir, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(material, null, 2), { mode: 0o600 });
  await fs.rename(tmp, file);
  return material;
}

export class CsrError extends Error {}

/** Issue a user certificate for a PEM CSR. The subject is the CA's O plus CN=username, whatever the CSR asked. */
export function issueCertificate(material: CaMaterial, csrPem: string, opts: IssueOptions): string {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (err) {
    throw new CsrError(`cannot parse certificate signing request (RSA PKCS#10 PEM expected): ${(err as Error).message}`);
  }
  let ok = false;
  try {
    ok = csr.verify();
  } catch {
    ok = false;
  }
  if (!ok || !csr.publicKey) throw new CsrError('certificate signing request signature does not verify');
  const signerIsRogue = opts.signer === 'rogue';
  const caCert = forge.pki.certificateFromPem(signerIsRogue ? material.rogueCertPem : material.issuingCertPem);
  const caKey = forge.pki.privateKeyFromPem(signerIsRogue ? material.rogueKeyPem : material.issuingKeyPem);
  const org = caCert.subject.getField('O')?.value as string | undefined;
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const cert = makeCert({
    subject: [...(org ? [{ name: 'organizationName', value: org }] : []), { name: 'commonName', value: opts.username }],
    publicKey: opts.replacePublicKeyPem ? forge.pki.publicKeyFromPem(opts.replacePublicKeyPem) : csr.publicKey,
    issuer: { cert: caCert, key: caKey },
    notBefore,
    notAfter: new Date(notBefore.getTime() + opts.lifetimeSeconds * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** OpenSSL's subject-hash file name (`<hash>.0`), as trust root folders use; a digest of the PEM if openssl is absent. */
export function subjectHashName(certPem: string): string {
  try {
    return execFileSync('openssl', ['x509', '-noout', '-subject_hash'], { input: certPem, encoding: 'utf8' }).trim();
  } catch {
    return createHash('sha1').update(certPem).digest('hex').slice(0, 8);
  }
}

/** Globus-style signing policy, the second kind of file a trust root folder holds. */
export function signingPolicy(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem);
  const dn = (attrs: forge.pki.CertificateField[]): string => attrs.map((a) => `/${a.shortName}=${String(a.value)}`).join('');
  const org = cert.subject.getField('O')?.value as string | undefined;
  return [
    `access_id_CA      X509         '${dn(cert.subject.attributes)}'`,
    `pos_rights        globus        CA:sign`,
    `cond_subjects     globus       '"/O=${org ?? '*'}/*"'`,
    '',
  ].join('\n');
}
