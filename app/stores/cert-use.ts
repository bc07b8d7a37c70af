import type { X509Certificate } from 'node:crypto';
import { keyUsageBits, KU } from '../crypto/key-usage';
import type { CertUse } from '../model/cert-use';

const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  any: '2.5.29.37.0',
} as const;

/**
 * The uses a person recognises a certificate by, most specific first. An explicit EKU decides (anyExtendedKeyUsage
 * counts as none). Without EKU an end-entity certificate that names an e-mail address is an S/MIME certificate;
 * one that names none says nothing we could put in words (empty list: the UI says "Certificate"). CA certificates
 * are not anyone's personal certificate: empty. S/MIME is split by key usage, because a signing-only certificate
 * cannot decrypt mail and users must know which one reads their encrypted mail.
 */
export function certUses(opts: {
  eku: string[] | undefined;
  ku: number | undefined;
  isCa: boolean;
  hasEmail: boolean;
}): CertUse[] {
  const { ku, isCa, hasEmail } = opts;
  if (isCa) return [];
  const eku = (opts.eku ?? []).filter((o) => o !== EKU.any);
  const out: CertUse[] = [];
  if (eku.includes(EKU.emailProtection) || (eku.length === 0 && hasEmail)) out.push(smimeUse(ku));
  if (eku.includes(EKU.clientAuth)) out.push('client-auth');
  if (eku.includes(EKU.serverAuth)) out.push('server-auth');
  if (eku.includes(EKU.codeSigning)) out.push('code-signing');
  return out;
}

function smimeUse(ku: number | undefined): CertUse {
  if (ku === undefined) return 'smime';
  const signs = (ku & (KU.digitalSignature | KU.nonRepudiation)) !== 0;
  const encrypts = (ku & (KU.keyEncipherment | KU.keyAgreement)) !== 0;
  if (signs && !encrypts) return 'smime-signing';
  if (encrypts && !signs) return 'smime-encryption';
  return 'smime';
}

/** certUses for a parsed certificate (Node's `keyUsage` getter is the *extended* key usage). */
export function certUsesOf(cert: X509Certificate): CertUse[] {
  const hasEmail = /(^|, )email:/.test(cert.subjectAltName ?? '') || /(^|\n)emailAddress=/.test(cert.subject);
  return certUses({ eku: cert.keyUsage as string[] | undefined, ku: keyUsageBits(cert.raw), isCa: cert.ca, hasEmail });
}
