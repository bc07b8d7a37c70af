/**
 * Test and benchmark helper: a small real PKI (root → intermediate → leaves) built quickly. One RSA key is
 * generated per role and reused; certificates are assembled with forge and signed with Node's crypto.sign
 * (forge's pure-JS RSA signing is ~50× slower), so a thousand leaves take a couple of seconds.
 * Not used by the product code.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateBundle } from '../../app/stores/store';
import { keyCacheServes, nextCachedKeySync } from '../../simulators/pki/key-cache';

export interface TestKey {
  privateKey: KeyObject;
  keyPem: string;
  forgePublic: forge.pki.PublicKey;
}

/** A 2048-bit RSA key no other key of this process equals (from the test key cache when it is on). */
export function makeKey(): TestKey {
  const { privateKey, publicKey } = keyCacheServes(2048)
    ? nextCachedKeySync()
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

export interface TestCert {
  pem: string;
  key: TestKey;
  subject: forge.pki.CertificateField[];
}

/** Subject attributes; non-ASCII values become UTF8String (forge's default PrintableString would mangle them). */
export function dnAttrs(dn: Record<string, string>): forge.pki.CertificateField[] {
  return Object.entries(dn).map(([shortName, value]) => {
    const ascii = /^[\x20-\x7e]*$/.test(value);
    return ascii
      ? { shortName, value }
      : { shortName, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class };
  });
}

export interface IssueOptions {
  subject: Record<string, string>;
  key: TestKey;
  issuer?: TestCert; // absent = self-signed
  ca?: boolean;
  days?: number;
  notBefore?: Date;
  serialHex?: string;
}

export function issue(opts: IssueOptions): TestCert {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.key.forgePublic;
  cert.serialNumber = opts.serialHex ?? `01${randomBytes(15).toString('hex')}`;
  const nb = opts.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notBefore = nb;
  cert.validity.notAfter = new Date(nb.getTime() + (opts.days ?? 30) * 86_400_000);
  const subject = dnAttrs(opts.subject);
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.subject : subject);
  cert.setExtensions(
    opts.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
        ],
  );
  const sha256Rsa = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.signatureOid = sha256Rsa;
  cert.siginfo.algorithmOid = sha256Rsa;
  // getTBSCertificate is public in forge but missing from @types/node-forge.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  const signer = opts.issuer ? opts.issuer.key.privateKey : opts.key.privateKey;
  cert.tbsCertificate = tbs;
  cert.signature = sign('sha256', tbsDer, signer).toString('binary');
  return { pem: forge.pki.certificateToPem(cert), key: opts.key, subject };
}

/** A root, an intermediate and a leaf factory sharing one end-entity key. */
export class TestPki {
  readonly rootKey = makeKey();
  readonly leafKey = makeKey();
  readonly root: TestCert;
  readonly intermediate: TestCert;

  constructor(name = 'KeyTalk Test') {
    this.root = issue({ subject: { CN: `${name} Root CA`, O: name }, key: this.rootKey, ca: true, days: 3650 });
    // The intermediate reuses the root key: cheaper, and chain building only looks at names and signatures.
    this.intermediate = issue({
      subject: { CN: `${name} Issuing CA`, O: name },
      key: this.rootKey,
      issuer: this.root,
      ca: true,
      days: 1825,
    });
  }

  leaf(cn: string, extra: Record<string, string> = {}, options: Partial<IssueOptions> = {}): TestCert {
    return issue({ subject: { CN: cn, ...extra }, key: this.leafKey, issuer: this.intermediate, ...options });
  }

  bundle(cn: string, label = cn, extra: Record<string, string> = {}): CertificateBundle {
    const leaf = this.leaf(cn, extra);
    return {
      certPem: leaf.pem,
      keyPem: this.leafKey.keyPem,
      chainPem: [this.intermediate.pem, this.root.pem],
      label,
      origin: { provider: 'TestProvider', service: 'TestService' },
    };
  }
}
