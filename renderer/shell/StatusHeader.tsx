import { strings } from '../strings';
import { useApp } from '../state/context';
import { formatDateTime } from './format-date';

const statusText = {
  idle: strings.status.idle,
  working: strings.status.working,
  attention: strings.status.attention,
  error: strings.status.error,
};

/** The agent's state as the core reports it (status, next renewal, last error). */
export function StatusHeader() {
  const agent = useApp((s) => s.agent);
  const connected = useApp((s) => s.connected);
  const status = agent ? statusText[agent.status] : connected ? strings.status.idle : strings.status.connecting;
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
      {agent?.lastError ? <p className="error-text">{agent.lastError}</p> : null}
      {agent?.repaired?.map((r) => (
        <p key={r} className="error-text small" data-testid="repaired-state">
          {r}
        </p>
      ))}
    </header>
  );
}
