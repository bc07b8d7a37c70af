import { useState } from 'react';
import { coreMessage } from '../i18n/core-text';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import type { CertificateSummary } from '../../app/ipc/contract';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { formatDate as fmt, formatDateTime } from '../shell/format-date';
import { storeName } from '../shell/store-names';
import { ExportForm } from './ExportForm';
import { certName, expiry } from './cert-identity';
import { certTitle } from './cert-title';

const s = strings.certificates;

/** Share of the validity period still ahead, 0..100. */
export function validityLeft(cert: Pick<CertificateSummary, 'notBefore' | 'notAfter'>, now = Date.now()): number {
  const from = Date.parse(cert.notBefore);
  const to = Date.parse(cert.notAfter);
  if (!(to > from)) return 0;
  return Math.max(0, Math.min(100, Math.round(((to - now) / (to - from)) * 100)));
}

/** One current certificate: what it is for and whose, where it came from, when it ends, and what to do with it. */
export function CertificateCard({ cert }: { cert: CertificateSummary }) {
  const renew = useApp((st) => st.renew);
  const remove = useApp((st) => st.removeCert);
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const left = validityLeft(cert);
  const titleId = `cert-${cert.sha256Fingerprint.slice(0, 16)}`;
  const name = certName(cert);
  const ends = expiry(cert);
  return (
    <li className="card" aria-labelledby={titleId}>
      <h3 id={titleId}>{certTitle(cert)}</h3>
      {cert.sharedMailbox ? (
        <p className="cert-labels">
          <span className="label" data-testid="cert-shared-mailbox">
            {s.sharedMailbox(cert.sharedMailbox)}
          </span>
        </p>
      ) : null}
      {cert.provider || cert.service ? (
        <p className="muted" data-testid="cert-from">
          {[cert.provider, cert.service].filter(Boolean).join(' · ')}
        </p>
      ) : null}
      <p className={`expiry expiry-${ends.level}`} data-testid="cert-expiry">
        {ends.level === 'expired' ? s.expiredAgo(-ends.days) : s.expiresIn(ends.days)}
      </p>
      <dl className="facts">
        <dt>{s.subject}</dt>
        <dd>{cert.subject}</dd>
        <dt>{s.issuer}</dt>
        <dd>{cert.issuer}</dd>
        <dt>{s.validity}</dt>
        <dd>
          {s.validFromTo(fmt(cert.notBefore), fmt(cert.notAfter))}
          <progress
            className={left < 20 ? 'validity low' : 'validity'}
            max={100}
            value={left}
            aria-label={s.validityLeft(left)}
          />
        </dd>
        {cert.renewAt ? (
          <>
            <dt>{s.renewal}</dt>
            <dd data-testid="cert-renewal">
              {s.renewAt(
                formatDateTime(cert.renewAt),
                coreMessage(cert.renewReasonText, cert.renewReason) || undefined,
                cert.renewErrorText ? coreMessage(cert.renewErrorText) : undefined,
              )}
            </dd>
          </>
        ) : null}
        <dt>{s.stores}</dt>
        <dd data-testid="cert-stores">{cert.stores.map((id) => storeName(id)).join(', ')}</dd>
        {cert.keyLocations?.length ? (
          <>
            <dt>{s.keyLocation}</dt>
            <dd data-testid="cert-key-location">{s.keyLocations(cert.keyLocations)}</dd>
          </>
        ) : null}
        {cert.pkcs11Tokens?.length ? (
          <>
            <dt>{s.pkcs11Token}</dt>
            <dd data-testid="cert-pkcs11-token">{s.pkcs11Tokens(cert.pkcs11Tokens)}</dd>
          </>
        ) : null}
      </dl>
      <details>
        <summary>{s.details}</summary>
        <dl className="facts">
          <dt>{s.serial}</dt>
          <dd className="mono">{cert.serialNumber}</dd>
          <dt>{s.fingerprint}</dt>
          <dd className="mono" data-testid="cert-fingerprint">
            {cert.sha256Fingerprint}
          </dd>
          {cert.provider ? (
            <>
              <dt>{s.provider}</dt>
              <dd>{cert.provider}</dd>
            </>
          ) : null}
          {cert.service ? (
            <>
              <dt>{s.service}</dt>
              <dd>{cert.service}</dd>
            </>
          ) : null}
          {/* The server's Public API answer (is-cert-tpm-attested), asked when the TPM-bound certificate was issued. */}
          {cert.tpmAttested !== undefined ? (
            <>
              <dt>{s.tpmAttestation}</dt>
              <dd data-testid="cert-tpm-attested">{cert.tpmAttested ? s.tpmAttested : s.tpmNotAttested}</dd>
            </>
          ) : null}
        </dl>
      </details>
      {/* Renew now / Remove failing on this card is said on this card, not in the alert at the top of the page. */}
      <InlineError at={errorPlace.cert(cert.sha256Fingerprint)} />
      <div className="actions">
        <button type="button" onClick={() => void renew(cert.sha256Fingerprint)}>
          {s.renewNow}
        </button>
        <button type="button" aria-expanded={exporting} onClick={() => setExporting(!exporting)}>
          {s.export}
        </button>
        {confirming ? (
          <span role="group" aria-label={s.confirmRemove(name)}>
            {s.confirmRemove(name)}{' '}
            <button type="button" className="danger" onClick={() => void remove(cert.sha256Fingerprint)}>
              {strings.common.remove}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {strings.common.cancel}
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            {s.remove}
          </button>
        )}
      </div>
      {exporting ? <ExportForm fingerprint={cert.sha256Fingerprint} subject={name} onDone={() => setExporting(false)} /> : null}
    </li>
  );
}
