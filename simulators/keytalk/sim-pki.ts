import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  createRootCa,
  issueTlsServerCert,
  loadOrCreateHierarchy,
  writeFileAtomic,
  type CertificateAuthority,
} from '../pki/index';

/**
 * The simulator's CA hierarchy, as on a KeyTalk appliance: RCA (root) → PCA (primary) → UCA (signing, user
 * certificates) and SCA (communication, the server's TLS certificate), plus one extra signing CA and a TPM
 * endorsement CA. All of it lives in <state>/pki so restarts keep the identity clients already trust.
 */
export interface SimPki {
  root: CertificateAuthority;
  primary: CertificateAuthority;
  signing: CertificateAuthority;
  communication: CertificateAuthority;
  extrasigning: CertificateAuthority;
  tpmEk: CertificateAuthority;
  tls: { certPem: string; keyPem: string };
  /** PEM of the CA that clients must trust for the TLS connection (communication + primary + root). */
  tlsTrustPem: string;
  dir: string;
}

const ORG = { o: 'KeyTalk Simulator', c: 'NL' };

export async function loadSimPki(stateDir: string): Promise<SimPki> {
  const dir = path.join(stateDir, 'pki');
  const cas = await loadOrCreateHierarchy(dir, [
    { name: 'root', subject: { ...ORG, cn: 'KeyTalk Simulator Root CA' } },
    { name: 'primary', parent: 'root', subject: { ...ORG, cn: 'KeyTalk Simulator Primary CA' } },
    { name: 'signing', parent: 'primary', subject: { ...ORG, cn: 'KeyTalk Simulator Signing CA' } },
    { name: 'communication', parent: 'primary', subject: { ...ORG, cn: 'KeyTalk Simulator Communication CA' } },
    { name: 'extrasigning', parent: 'primary', subject: { ...ORG, cn: 'KeyTalk Simulator Extra Signing CA' } },
    { name: 'tpm-ek', subject: { ...ORG, cn: 'KeyTalk Simulator TPM Endorsement CA' } },
  ]);
  const communication = cas.communication!;
  const tls = await loadOrIssueTls(dir, communication);
  return {
    root: cas.root!,
    primary: cas.primary!,
    signing: cas.signing!,
    communication,
    extrasigning: cas.extrasigning!,
    tpmEk: cas['tpm-ek']!,
    tls,
    tlsTrustPem: communication.certPem + cas.primary!.certPem + cas.root!.certPem,
    dir,
  };
}

async function loadOrIssueTls(dir: string, ca: CertificateAuthority): Promise<{ certPem: string; keyPem: string }> {
  const certFile = path.join(dir, 'tls.crt.pem');
  const keyFile = path.join(dir, 'tls.key.pem');
  try {
    const [certPem, keyPem] = await Promise.all([fs.readFile(certFile, 'utf8'), fs.readFile(keyFile, 'utf8')]);
    const x = new X509Certificate(certPem);
    // Re-issue when it expires within a day or was issued by a CA that has since been replaced.
    if (new Date(x.validTo).getTime() - Date.now() > 86400_000 && x.checkIssued(ca.x509))
      return { certPem: certPem + ca.certPem, keyPem };
  } catch {
    // missing or unreadable: issue a new one below
  }
  const issued = await issueTlsServerCert(ca, ['127.0.0.1', 'localhost', '::1']);
  await writeFileAtomic(keyFile, issued.keyPem, 0o600);
  await writeFileAtomic(certFile, issued.certPem, 0o644);
  return { certPem: issued.certPem + ca.certPem, keyPem: issued.keyPem };
}

export type TlsFault = 'expired' | 'foreign' | 'user-ca' | 'no-eku';

/**
 * TLS identities for the "bad server certificate" faults, made on demand: expired; from a foreign PKI; issued by
 * the user CA (UCA) — a certificate any user could hold, which is not the appliance's (spec 2.1: only the SCA issues
 * those); issued by the right SCA but without the serverAuth extended key usage.
 */
export async function faultTlsIdentity(pki: SimPki, kind: TlsFault): Promise<{ certPem: string; keyPem: string }> {
  const hosts = ['127.0.0.1', 'localhost', '::1'];
  if (kind === 'user-ca') {
    const issued = await issueTlsServerCert(pki.signing, hosts);
    return { certPem: issued.certPem + pki.signing.certPem + pki.primary.certPem, keyPem: issued.keyPem };
  }
  if (kind === 'no-eku') {
    const issued = await issueTlsServerCert(pki.communication, hosts, { extKeyUsage: [] });
    return { certPem: issued.certPem + pki.communication.certPem, keyPem: issued.keyPem };
  }
  if (kind === 'expired') {
    const issued = await issueTlsServerCert(pki.communication, ['127.0.0.1', 'localhost', '::1'], {
      notBefore: new Date(Date.now() - 3 * 86400_000),
      lifetimeSeconds: 86400,
    });
    return { certPem: issued.certPem + pki.communication.certPem, keyPem: issued.keyPem };
  }
  const foreign = await createRootCa('foreign', { o: 'Somebody Else', cn: 'Foreign Root CA' });
  const issued = await issueTlsServerCert(foreign, ['127.0.0.1', 'localhost', '::1']);
  return { certPem: issued.certPem + foreign.certPem, keyPem: issued.keyPem };
}
