import type { CertificateSummary } from '../../app/ipc/contract';
import { isPreviousCertificate } from '../../app/model/previous-certificate';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { PendingApprovals } from '../certs/PendingApprovals';
import { CertificateCard } from '../certs/CertificateCard';
import { PreviousCertificates } from '../certs/PreviousCertificates';

export { validityLeft } from '../certs/CertificateCard';

const s = strings.certificates;

/**
 * Current certificates as cards; the ones a newer enrollment replaced (replacedBy) and historical S/MIME ones (kept
 * with their keys to read old mail, never used to sign) collapsed below them.
 */
export function CertificatesPage() {
  const certs = useApp((st) => st.certs);
  const current: CertificateSummary[] = certs.filter((c) => !isPreviousCertificate(c));
  const previous: CertificateSummary[] = certs.filter(isPreviousCertificate);
  return (
    <section aria-labelledby="certs-title">
      <h2 id="certs-title">{s.title}</h2>
      <PendingApprovals />
      {current.length === 0 ? (
        <p>{s.empty}</p>
      ) : (
        <ul className="cards">
          {current.map((c) => (
            <CertificateCard key={c.sha256Fingerprint} cert={c} />
          ))}
        </ul>
      )}
      <PreviousCertificates certs={previous} />
    </section>
  );
}
