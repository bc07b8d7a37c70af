import { useEffect, useState } from 'react';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import type { SmimeAvailability, SmimeInviteResult } from '../../app/ipc/contract';
import { CheckboxRow } from '../shell/CheckboxRow';
import { coreMessage } from '../i18n/core-text';
import { tr } from '../i18n/i18n';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { InviteForm } from './InviteForm';

const s = strings.selfService;
/** The server's reason in the same frame as every other text of the server's own (core `server.says`). */
const serverSays = (text: string) => tr('core.server.says', { text });

/**
 * Self-Service invitations: the core first asks the Public API whether the user's S/MIME certificate may
 * invite (the answer and its explanation are shown as text), then the form sends the recipients.
 */
export function InvitePage() {
  const providers = useApp((st) => st.agent?.providers);
  const selfService = useApp((st) => st.selfService);
  const check = useApp((st) => st.checkSmimeAvailability);
  const invite = useApp((st) => st.inviteSmime);
  const names = (providers ?? []).filter((p) => p.kind === 'keytalk').map((p) => p.name);
  const [chosen, setChosen] = useState<string | undefined>();
  const [orders, setOrders] = useState(false);
  const provider = chosen && names.includes(chosen) ? chosen : names[0];
  useEffect(() => {
    if (provider) void check(provider, !orders);
  }, [provider, orders, check]);
  const current = selfService.provider === provider && selfService.synchronous === !orders;
  const availability = current ? selfService.availability : undefined;
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{s.title}</h2>
      <p>{s.intro}</p>
      {!provider ? <p>{s.noProvider}</p> : null}
      {names.length > 1 ? (
        <div className="field">
          <label htmlFor="invite-provider">{s.provider}</label>
          <select id="invite-provider" value={provider} onChange={(e) => setChosen(e.target.value)}>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </div>
      ) : null}
      {provider ? <CheckboxRow id="invite-orders" label={s.orders} checked={orders} onChange={setOrders} /> : null}
      {provider ? (
        <div role="status" aria-live="polite" data-testid="smime-availability">
          {selfService.busy && !availability ? <p>{s.checking}</p> : null}
          {availability ? <AvailabilityView a={availability} /> : null}
        </div>
      ) : null}
      {/* A failed check or invitation is said here, between the answer and the form that caused it. */}
      <InlineError at={errorPlace.invite} />
      {provider && availability?.available ? (
        <InviteForm
          mobileRequired={!!availability.mobileRequired}
          busy={selfService.busy}
          onSubmit={(recipients) => void invite(provider, recipients)}
        />
      ) : null}
      {provider && availability && !availability.available ? (
        <button type="button" onClick={() => void check(provider, !orders)} disabled={selfService.busy}>
          {s.check}
        </button>
      ) : null}
      {selfService.result && current ? <ResultView r={selfService.result} /> : null}
    </section>
  );
}

function AvailabilityView({ a }: { a: SmimeAvailability }) {
  if (a.available)
    return (
      <>
        <p className="success-text">{s.available(a.certificate?.subject ?? '')}</p>
        {a.mobileRequired ? <p>{s.mobileRequired}</p> : null}
      </>
    );
  return (
    <div className="card">
      <p>
        <strong>{s.unavailable}</strong> {coreMessage(a.explanationText, a.explanation)}
      </p>
      {a.reason ? <p className="muted small">{serverSays(a.reason)}</p> : null}
    </div>
  );
}

function ResultView({ r }: { r: SmimeInviteResult }) {
  return (
    <section aria-labelledby="invite-result-title" data-testid="invite-result">
      <h3 id="invite-result-title">{s.resultTitle}</h3>
      <ul className="plain">
        {r.succeeded.map((x) => (
          <li key={x.email} className="success-text">
            {r.synchronous || !x.orderId ? s.issued(x.email) : s.ordered(x.email, x.orderId)}
          </li>
        ))}
        {r.failed.map((x) => (
          <li key={x.email} className="error-text">
            {x.error ? s.failedOne(x.email, x.error) : s.failedNoReason(x.email)}
          </li>
        ))}
        {r.skipped.map((x) => (
          <li key={x}>{s.skippedOne(x)}</li>
        ))}
      </ul>
    </section>
  );
}
