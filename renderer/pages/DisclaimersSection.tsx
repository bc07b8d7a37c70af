import { useEffect, useState } from 'react';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { formatDateTime } from '../shell/format-date';

const s = strings.disclaimers;

/**
 * The email disclaimers in force. The preview is the core's plain-text rendering of the server's signature
 * package and is shown as text (React escapes it); nothing from the server is ever inserted as HTML.
 */
export function DisclaimersSection() {
  const disclaimers = useApp((st) => st.disclaimers);
  const refresh = useApp((st) => st.refreshDisclaimers);
  const agentState = useApp((st) => st.agent);
  const check = useApp((st) => st.checkDisclaimers);
  const [checking, setChecking] = useState(false);
  // Re-read when the core publishes a state change (the scheduler's disclaimer check is one).
  useEffect(() => {
    void refresh();
  }, [refresh, agentState]);
  return (
    <section aria-labelledby="disclaimers-title">
      <h2 id="disclaimers-title">{s.title}</h2>
      {disclaimers.length === 0 ? <p>{s.empty}</p> : null}
      <p>
        {/* The scheduler checks at the server's interval; this runs the same check now. */}
        <button
          type="button"
          disabled={checking}
          onClick={() => {
            setChecking(true);
            void check().finally(() => setChecking(false));
          }}
        >
          {checking ? s.checking : s.checkNow}
        </button>
      </p>
      <ul className="cards">
        {disclaimers.map((d) => (
          <li key={`${d.provider}/${d.service}/${d.email}`} className="card" data-testid="disclaimer">
            <h3>{d.name}</h3>
            <p className="muted small">{s.forAddress(d.email, d.provider)}</p>
            <dl className="facts">
              <dt>{s.preview}</dt>
              <dd className="message-text">{d.preview}</dd>
              <dt>{s.appliedTo}</dt>
              <dd>{d.appliedTo.length ? d.appliedTo.join(', ') : s.notApplied}</dd>
              <dt>{s.lastCheck}</dt>
              <dd>
                <time dateTime={d.checkedAt}>{formatDateTime(d.checkedAt)}</time>
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
