import type { CertificateSummary } from '../../app/ipc/contract';
import { strings } from '../strings';
import { certName } from './cert-identity';

const s = strings.certificates;

/**
 * The card title a person recognises: what the certificate is for and whose it is ("Client authentication —
 * Alice"). A certificate whose extensions say nothing we can put in words is titled by its name alone, rather than
 * a vague "Certificate" in front of it.
 */
export function certTitle(cert: Pick<CertificateSummary, 'subject' | 'uses'>): string {
  const name = certName(cert);
  const uses = (cert.uses ?? []).map((u) => s.uses[u]);
  return uses.length ? s.cardTitle(uses.join(' + '), name) : name;
}
