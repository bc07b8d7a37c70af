/**
 * Test and benchmark helper (not used by product code): certificates with chosen keyUsage / extKeyUsage /
 * e-mail, assembled with forge and signed with Node's crypto.sign, one key reused for all.
 */
import { randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { dnAttrs, makeKey, type TestKey } from '../stores/test-pki';

export { makeKey, type TestKey };

export interface MintOptions {
  cn: string;
  key: TestKey;
  /** Signing key and subject of the issuer; self-signed when absent. */
  issuer?: { key: TestKey; cn: string };
  ca?: boolean;
  /** forge keyUsage flags, e.g. { digitalSignature: true }; no extension when absent. */
  keyUsage?: Record<string, boolean>;
  /** forge extKeyUsage flags, e.g. { serverAuth: true }; no extension when absent. */
  extKeyUsage?: Record<string, boolean>;
  email?: string;
  days?: number;
  notBefore?: Date;
}

const SHA256_RSA = '1.2.840.113549.1.1.11';

export function mintCert(o: MintOptions): { pem: string; der: Buffer } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = o.key.forgePublic;
  cert.serialNumber = `01${randomBytes(12).toString('hex')}`;
  const nb = o.notBefore ?? new Date(Date.now() - 3_600_000);
  cert.validity.notBefore = nb;
  cert.validity.notAfter = new Date(nb.getTime() + (o.days ?? 365) * 86_400_000);
  const subject = dnAttrs({ CN: o.cn });
  cert.setSubject(subject);
  cert.setIssuer(o.issuer ? dnAttrs({ CN: o.issuer.cn }) : subject);
  const ext: object[] = [{ name: 'basicConstraints', cA: !!o.ca, critical: !!o.ca }];
  if (o.keyUsage) ext.push({ name: 'keyUsage', critical: true, ...o.keyUsage });
  if (o.extKeyUsage) ext.push({ name: 'extKeyUsage', ...o.extKeyUsage });
  if (o.email) ext.push({ name: 'subjectAltName', altNames: [{ type: 1, value: o.email }] });
  cert.setExtensions(ext);
  cert.signatureOid = SHA256_RSA;
  cert.siginfo.algorithmOid = SHA256_RSA;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.tbsCertificate = tbs;
  cert.signature = sign('sha256', tbsDer, (o.issuer?.key ?? o.key).privateKey).toString('binary');
  const pem = forge.pki.certificateToPem(cert);
  return { pem, der: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary') };
}

/** The purpose mix the tests seed stores and folders with. */
export function purposeMix(key: TestKey, tag: string) {
  const issuer = { key, cn: `Scan Test CA ${tag}` };
  const tls = { digitalSignature: true, keyEncipherment: true };
  return {
    ca: mintCert({ cn: issuer.cn, key, ca: true, keyUsage: { keyCertSign: true, cRLSign: true } }),
    server: mintCert({ cn: `server-${tag}.example`, key, issuer, keyUsage: tls, extKeyUsage: { serverAuth: true } }),
    client: mintCert({ cn: `client-${tag}`, key, issuer, keyUsage: tls, extKeyUsage: { clientAuth: true } }),
    smime: mintCert({
      cn: `smime-${tag}`,
      key,
      issuer,
      keyUsage: { digitalSignature: true, nonRepudiation: true },
      extKeyUsage: { emailProtection: true },
      email: `${tag}@example.test`,
    }),
    expiredClient: mintCert({
      cn: `expired-${tag}`,
      key,
      issuer,
      keyUsage: tls,
      extKeyUsage: { clientAuth: true },
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      days: 30,
    }),
    signOnly: mintCert({
      cn: `codesign-${tag}`,
      key,
      issuer,
      keyUsage: { digitalSignature: true },
      extKeyUsage: { codeSigning: true },
    }),
  };
}
