import { homeLayout } from '../config/home';
import { describeCertificate } from '../crypto/cert-info';
import { withText } from '../model/core-text';
import { enrollments } from '../engine/state';
import { subjectInRfc4514Order } from '../engine/subject-order';
import { FileStore } from '../stores/file-store';
import type { CertificateBundle } from '../stores/store';
import { SelfServiceError } from './self-service';

/**
 * The user's own S/MIME certificate for the Self-Service API's TLS client authentication: a valid enrolled
 * certificate with an e-mail address whose key is in the agent's file store (other stores cannot hand the
 * key back). Shared by `keytalk-agent smime invite` and the UI's invitation form.
 */
export interface OwnSmimeCertificate {
  provider: string;
  service: string;
  sha256Fingerprint: string;
  subject: string;
  emails: string[];
  notAfter: string;
  bundle: CertificateBundle & { keyPem: string };
}

export async function findOwnSmimeCertificate(
  home: string,
  want: { provider?: string; service?: string } = {},
): Promise<OwnSmimeCertificate> {
  const store = new FileStore(homeLayout(home).certs);
  const candidates = (await enrollments.list(home))
    .filter((r) => (!want.provider || r.provider === want.provider) && (!want.service || r.service === want.service))
    .filter((r) => Date.parse(r.notAfter) > Date.now())
    // The newest first: after a renewal the old certificate may still be listed until it is retired.
    .sort((a, b) => b.notAfter.localeCompare(a.notAfter));
  let chosen: OwnSmimeCertificate | undefined;
  for (const r of candidates) {
    let bundle: CertificateBundle;
    try {
      bundle = await store.read(r.sha256Fingerprint);
    } catch {
      continue; // in another store only: not usable for TLS client authentication
    }
    const info = describeCertificate(bundle.certPem);
    if (!bundle.keyPem || !info.emails.length) continue;
    if (chosen && chosen.provider !== r.provider && !want.provider)
      throw withText(
        new SelfServiceError(
          `you have S/MIME certificates of several providers (${chosen.provider}, ${r.provider}); choose the provider to invite from`,
          'bad-input',
        ),
        'smime.several-providers',
        { providers: `${chosen.provider}, ${r.provider}` },
      );
    chosen ??= {
      provider: r.provider,
      service: r.service,
      sha256Fingerprint: r.sha256Fingerprint,
      // RFC 4514 order, as the certificate list and the CLI show subjects.
      subject: subjectInRfc4514Order(info.subject),
      emails: info.emails,
      notAfter: info.notAfter,
      bundle: { ...bundle, keyPem: bundle.keyPem },
    };
  }
  if (!chosen) {
    const scope = [want.provider, want.service].filter(Boolean).join(' / ');
    throw withText(
      new SelfServiceError(
        `no valid S/MIME certificate with its key in the agent's file store${scope ? ` for ${scope}` : ''}; enroll for your S/MIME service first`,
        'bad-input',
      ),
      'smime.no-certificate',
    );
  }
  return chosen;
}
