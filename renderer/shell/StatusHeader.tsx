import { strings } from '../strings';
import { coreMessage } from '../i18n/core-text';
import { useApp } from '../state/context';
import type { FlowView } from '../state/flow-view';
import { formatDateTime } from './format-date';

// Read at each render, not once at load: the strings follow the language chosen while the app runs.
// Each key named, not looked up by value, so the unused-text check (scripts/ui-texts.test.ts) still sees them read.
const statusText = (status: 'idle' | 'working' | 'attention' | 'error') =>
  status === 'idle'
    ? strings.status.idle
    : status === 'working'
      ? strings.status.working
      : status === 'attention'
        ? strings.status.attention
        : strings.status.error;

/**
 * What waits, named with whom it signs in to: the open prompt's flow (flow:prompt, or taken up by resume-flow.ts)
 * says whether it is an enrollment, a renewal or a password change. Without one (not yet taken up, an older core)
 * only that something waits — never "an enrollment" for a renewal's sign-in.
 */
const attentionText = (flow: FlowView | undefined) => {
  const { purpose, provider, service } = flow?.prompt && !flow.outcome ? flow : {};
  if (!purpose || provider === undefined || service === undefined) return strings.status.attentionFlow;
  return purpose === 'renew'
    ? strings.status.attentionRenew(provider, service)
    : purpose === 'password-change'
      ? strings.status.attentionPasswordChange(provider, service)
      : strings.status.attentionEnroll(provider, service);
};

/**
 * The agent's state as the core reports it (status, next renewal, last error). "Needs attention" always says what
 * and leads there: the core raises it only while a flow waits for the user's answer, and ends it when the
 * flow does (answered, cancelled, or its last window closed: app/agent/ui-presence.ts).
 */
export function StatusHeader() {
  const agent = useApp((s) => s.agent);
  const connected = useApp((s) => s.connected);
  // Not connected and a request already failed (no access key, a refused or lost bridge): no longer "Connecting…".
  const failed = useApp((s) => !s.connected && s.error !== undefined);
  const setPage = useApp((s) => s.setPage);
  const flow = useApp((s) => s.flow);
  const status = agent
    ? statusText(agent.status)
    : connected
      ? strings.status.idle
      : failed
        ? strings.status.disconnected
        : strings.status.connecting;
  return (
    <header className="status-header">
      <h1 className="app-name">{strings.appName}</h1>
      <div
        role="status"
        aria-label={strings.status.label}
        className={`status status-${agent?.status ?? 'unknown'}`}
        data-testid="agent-status"
      >
        <span className="status-dot" aria-hidden="true" />
        <span>{status}</span>
        {agent?.nextRenewal ? (
          <span className="muted"> · {strings.status.nextRenewal(formatDateTime(agent.nextRenewal))}</span>
        ) : null}
      </div>
      {agent ? (
        <div className="muted small" data-testid="agent-home">
          {strings.settings.version(agent.version)} · {strings.status.home(agent.home)}
        </div>
      ) : null}
      {agent?.status === 'attention' ? (
        <p className="attention" data-testid="attention-what">
          {attentionText(flow)}{' '}
          <button type="button" className="link" onClick={() => setPage('enroll')}>
            {strings.status.attentionGo}
          </button>
        </p>
      ) : null}
      {agent?.lastError ? <p className="error-text">{coreMessage(agent.lastErrorText, agent.lastError)}</p> : null}
      {/* The policy's autoEnroll that could not run silently: one line each, never a wizard opened on its own. */}
      {agent?.autoEnrollPending?.map((p) => (
        <p key={`${p.provider}/${p.service}`} className="small" data-testid="auto-enroll-pending">
          {strings.status.autoEnroll(p.provider, p.service)}
        </p>
      ))}
      {agent?.repaired?.map((r, i) => (
        <p key={r} className="error-text small" data-testid="repaired-state">
          {coreMessage(agent.repairedTexts?.[i], r)}
        </p>
      ))}
    </header>
  );
}
