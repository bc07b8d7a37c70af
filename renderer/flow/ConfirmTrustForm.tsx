import type { FlowAnswer, FlowPrompt } from '../../app/model/flow-types';
import { strings } from '../strings';

const s = strings.flow;

/**
 * Trust on first use of an Online CA: the user compares the CA fingerprints with what the operator published.
 * Nothing is focused or pre-selected, so Enter cannot accept a CA the user has not looked at.
 */
export function ConfirmTrustForm({
  prompt,
  onSubmit,
}: {
  prompt: Extract<FlowPrompt, { kind: 'confirm-trust' }>;
  onSubmit: (answer: FlowAnswer) => void;
}) {
  return (
    <section aria-labelledby="flow-title" aria-describedby="trust-why trust-compare" data-testid="confirm-trust">
      <h3 id="flow-title">{s.trustTitle(prompt.host)}</h3>
      <p id="trust-why">{s.trustWhy}</p>
      <p id="trust-compare">{s.trustCompare}</p>
      <h4>{s.trustFingerprints}</h4>
      {prompt.certificates?.length ? (
        <ul className="plain trust-list">
          {prompt.certificates.map((c) => (
            <li key={c.sha256} className="trust-ca">
              <dl className="facts">
                <dt>{s.trustSubject}</dt>
                <dd>{c.subject}</dd>
                <dt>{s.trustSha256}</dt>
                <dd className="mono fingerprint" data-testid="trust-fingerprint">
                  {c.sha256}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : (
        // An engine that sends only the terminal lines: still shown in monospace, one CA per line.
        <ul className="mono fingerprint">
          {prompt.fingerprints.map((f) => (
            <li key={f} data-testid="trust-fingerprint">
              {f}
            </li>
          ))}
        </ul>
      )}
      <p>{s.trustIfMatch}</p>
      <p>{s.trustIfDiffer}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => onSubmit({ kind: 'confirm-trust', accept: true })}>
          {s.trust}
        </button>
        <button type="button" onClick={() => onSubmit({ kind: 'confirm-trust', accept: false })}>
          {s.dontTrust}
        </button>
      </div>
    </section>
  );
}
