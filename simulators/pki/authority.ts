import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { derToPem, issueCertificate, ipToBytes, type CertificateProfile, type IssuedCertificate } from './certificate';
import { parseCsr, type ParsedCsr } from './csr';
import { generateRsaKeyPair } from './keys';
import type { SubjectFields } from './names';

/** A CA that can sign: its certificate and private key. */
export interface CertificateAuthority {
  name: string;
  certDer: Buffer;
  certPem: string;
  privateKey: KeyObject;
  /** Lower-case hex SHA-1 of the DER, as the CA API addresses CAs by fingerprint. */
  sha1: string;
  x509: X509Certificate;
}

function fromParts(name: string, certDer: Buffer, privateKey: KeyObject): CertificateAuthority {
  return {
    name,
    certDer,
    certPem: derToPem(certDer),
    privateKey,
    sha1: createHash('sha1').update(certDer).digest('hex'),
    x509: new X509Certificate(certDer),
  };
}

const TEN_YEARS = 10 * 365 * 24 * 3600;

/** Self-signed root CA with a fresh RSA key. */
export async function createRootCa(
  name: string,
  subject: SubjectFields,
  lifetimeSeconds = TEN_YEARS,
  bits = 2048,
): Promise<CertificateAuthority> {
  const { privateKey, publicKey } = await generateRsaKeyPair(bits);
  const issued = issueCertificate(
    'self',
    { subject, publicKey, lifetimeSeconds, isCa: true, notBefore: backdated() },
    privateKey,
  );
  return fromParts(name, issued.der, privateKey);
}

/** Intermediate CA signed by `parent`. */
export async function createIntermediateCa(
  parent: CertificateAuthority,
  name: string,
  subject: SubjectFields,
  lifetimeSeconds = TEN_YEARS,
  bits = 2048,
): Promise<CertificateAuthority> {
  const { privateKey, publicKey } = await generateRsaKeyPair(bits);
  const issued = issueCertificate(issuerOf(parent), { subject, publicKey, lifetimeSeconds, isCa: true, notBefore: backdated() });
  return fromParts(name, issued.der, privateKey);
}

// CAs start an hour in the past so a client whose clock is slightly behind still accepts them.
function backdated(): Date {
  return new Date(Date.now() - 3600_000);
}

function issuerOf(ca: CertificateAuthority) {
  return { certDer: ca.certDer, privateKey: ca.privateKey };
}

/** Leaf (end-entity) certificate for a public key with the given subject, SANs and lifetime. */
export function issueLeafCertificate(ca: CertificateAuthority, profile: Omit<CertificateProfile, 'isCa'>): IssuedCertificate {
  return issueCertificate(issuerOf(ca), { ...profile, isCa: false });
}

/** Leaf certificate from a PKCS#10 request; subject/SAN overrides replace what the CSR asked for. */
export function issueFromCsr(
  ca: CertificateAuthority,
  csrPem: string,
  options: { lifetimeSeconds: number; subject?: SubjectFields; san?: string[]; extKeyUsage?: CertificateProfile['extKeyUsage'] },
): { csr: ParsedCsr; cert: IssuedCertificate } {
  const csr = parseCsr(csrPem);
  const cert = issueLeafCertificate(ca, {
    subject: options.subject ?? csr.subject,
    publicKey: csr.publicKey,
    lifetimeSeconds: options.lifetimeSeconds,
    san: options.san ?? csr.san,
    extKeyUsage: options.extKeyUsage ?? ['clientAuth', 'emailProtection'],
  });
  return { csr, cert };
}

/** TLS server certificate + key for the given host names / IPs. */
export async function issueTlsServerCert(
  ca: CertificateAuthority,
  hosts: string[],
  options: { lifetimeSeconds?: number; notBefore?: Date; extKeyUsage?: 'serverAuth'[] } = {},
): Promise<{ certPem: string; keyPem: string; cert: IssuedCertificate }> {
  const { privateKey, publicKey } = await generateRsaKeyPair(2048);
  const cert = issueLeafCertificate(ca, {
    subject: { cn: hosts[0] ?? 'localhost', o: 'KeyTalk Simulator' },
    publicKey,
    lifetimeSeconds: options.lifetimeSeconds ?? 2 * 365 * 24 * 3600,
    notBefore: options.notBefore ?? new Date(Date.now() - 3600_000),
    san: hosts.map((h) => (ipToBytes(h) ? `IP:${h}` : `DNS:${h}`)),
    extKeyUsage: options.extKeyUsage ?? ['serverAuth'],
  });
  return { certPem: cert.pem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
}

/** Persist a CA as <dir>/<name>.crt.pem and <name>.key.pem (0600: the simulator's own keys, never a user's). */
export async function saveCa(dir: string, ca: CertificateAuthority): Promise<void> {
  await writeFileAtomic(
    path.join(dir, `${ca.name}.key.pem`),
    ca.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    0o600,
  );
  await writeFileAtomic(path.join(dir, `${ca.name}.crt.pem`), ca.certPem, 0o644);
}

export async function loadCa(dir: string, name: string): Promise<CertificateAuthority | null> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([
      fs.readFile(path.join(dir, `${name}.crt.pem`), 'utf8'),
      fs.readFile(path.join(dir, `${name}.key.pem`), 'utf8'),
    ]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const x = new X509Certificate(certPem);
  return fromParts(name, x.raw, createPrivateKey(keyPem));
}

export interface CaSpec {
  name: string;
  subject: SubjectFields;
  /** Name of the parent CA in the same hierarchy; absent for a self-signed root. */
  parent?: string;
  lifetimeSeconds?: number;
}

/**
 * Load a CA hierarchy from `dir`, creating (and saving) whatever is missing. Specs must list parents before
 * children. Keeping the state makes restarts fast and keeps the identity clients already trust.
 */
export async function loadOrCreateHierarchy(dir: string, specs: CaSpec[]): Promise<Record<string, CertificateAuthority>> {
  const out: Record<string, CertificateAuthority> = {};
  for (const spec of specs) {
    let ca = await loadCa(dir, spec.name);
    if (!ca) {
      if (spec.parent) {
        const parent = out[spec.parent];
        if (!parent) throw new Error(`CA "${spec.name}" names parent "${spec.parent}" which is not listed before it`);
        ca = await createIntermediateCa(parent, spec.name, spec.subject, spec.lifetimeSeconds);
      } else {
        ca = await createRootCa(spec.name, spec.subject, spec.lifetimeSeconds);
      }
      await saveCa(dir, ca);
    }
    out[spec.name] = ca;
  }
  return out;
}
