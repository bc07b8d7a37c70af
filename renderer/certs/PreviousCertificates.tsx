import type { CertificateSummary } from '../../app/ipc/contract';
import { strings } from '../strings';
import { formatDate as fmt } from '../shell/format-date';
import { certTitle } from './cert-title';

const s = strings.certificates;

/**
 * Certificates a newer enrollment for the same provider/service/user replaced, and historical S/MIME certificates.
 * Replaced ones are in no store any more (so no program picks the old one); historical ones stay in the file store
 * with their keys, to read mail encrypted to them, and are never a signing identity. No actions: collapsed by
 * default, there for "which one did I have before".
 */
export function PreviousCertificates({ certs }: { certs: CertificateSummary[] }) {
  if (certs.length === 0) return null;
  return (
    <details className="previous-certs" data-testid="previous-certs">
      <summary>{s.previousTitle(certs.length)}</summary>
      <p className="muted">{s.previousHelp}</p>
      {certs.some((c) => c.historical) ? <p className="muted">{s.historicalHelp}</p> : null}
      <ul className="previous-list">
        {certs.map((c) => (
          <li key={c.sha256Fingerprint} data-testid="previous-cert">
            <strong>{certTitle(c)}</strong>
            {c.sharedMailbox ? <span className="label">{s.sharedMailbox(c.sharedMailbox)}</span> : null}
            {c.historical ? (
              <span className="label" data-testid="previous-historical">
                {s.historical}
              </span>
            ) : null}
            <span className="muted">
              {' '}
              {[c.provider, c.service].filter(Boolean).join(' · ')} · {s.validFromTo(fmt(c.notBefore), fmt(c.notAfter))}
              {c.replacedAt ? ` · ${s.replacedOn(fmt(c.replacedAt))}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
