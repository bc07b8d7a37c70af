/**
 * Test-only PKI: real CA and leaf certificates with arbitrary dates (expired, not yet valid) and extensions,
 * signed by forge with keys from Node. Used by the crypto, TLS and RCCD tests; never imported by product code.
 */
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { generateRsaKeyPair } from '../../app/crypto/keys';

export interface TestIdentity {
  certPem: string;
  keyPem: string;
  subjectCn: string;
}

export interface IssueOptions {
  cn: string;
  extraSubject?: Array<{ shortName?: string; name?: string; type?: string; value: string }>;
  keyPem?: string;
  isCa?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  emails?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** 'serverAuth' | 'clientAuth' | 'emailProtection' */
  extKeyUsage?: string[];
  keyUsage?: string[];
}

const DAY = 86_400_000;

export async function newKeyPem(): Promise<string> {
  return (await generateRsaKeyPair(2048)).privateKeyPem;
}

/** Issue a certificate signed by `issuer`, or self-signed when issuer is undefined. */
export async function issueCertificate(issuer: TestIdentity | undefined, o: IssueOptions): Promise<TestIdentity> {
  const keyPem = o.keyPem ?? (await newKeyPem());
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 365 * DAY);
  const subject = [{ shortName: 'CN', value: o.cn }, ...(o.extraSubject ?? [])];
  cert.setSubject(subject);
  const issuerCert = issuer ? forge.pki.certificateFromPem(issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  const ext: Array<Record<string, unknown>> = [{ name: 'basicConstraints', cA: !!o.isCa, critical: true }];
  const ku = o.keyUsage ?? (o.isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'keyEncipherment']);
  ext.push({ name: 'keyUsage', critical: true, ...Object.fromEntries(ku.map((k) => [k, true])) });
  if (o.extKeyUsage?.length) ext.push({ name: 'extKeyUsage', ...Object.fromEntries(o.extKeyUsage.map((k) => [k, true])) });
  const altNames = [
    ...(o.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(o.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
    ...(o.emails ?? []).map((value) => ({ type: 1, value })),
  ];
  if (altNames.length) ext.push({ name: 'subjectAltName', altNames });
  ext.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(ext);
  const signer = issuer ? (forge.pki.privateKeyFromPem(issuer.keyPem) as forge.pki.rsa.PrivateKey) : key;
  cert.sign(signer, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem, subjectCn: o.cn };
}

export interface TestPki {
  root: TestIdentity;
  /** Intermediate ("primary") CA under the root, like KeyTalk's PCA. */
  primary: TestIdentity;
  server: TestIdentity;
}

/** Root → primary CA → server certificate for 127.0.0.1/localhost; keys are reused to keep tests fast. */
export async function createTestPki(name = 'Test'): Promise<TestPki> {
  const [k1, k2, k3] = await Promise.all([newKeyPem(), newKeyPem(), newKeyPem()]);
  const root = await issueCertificate(undefined, { cn: `${name} Root CA`, isCa: true, keyPem: k1 });
  const primary = await issueCertificate(root, { cn: `${name} Primary CA`, isCa: true, keyPem: k2 });
  const server = await issueCertificate(primary, {
    cn: 'localhost',
    keyPem: k3,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    extKeyUsage: ['serverAuth'],
  });
  return { root, primary, server };
}
