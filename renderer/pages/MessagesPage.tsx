import { strings } from '../strings';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import { useApp } from '../state/context';
import { DisclaimersSection } from './DisclaimersSection';
import { formatDateTime } from '../shell/format-date';

const s = strings.messages;

export function MessagesPage() {
  const messages = useApp((st) => st.messages);
  const markRead = useApp((st) => st.markRead);
  const unread = messages.filter((m) => !m.read).map((m) => m.id);
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{s.title}</h2>
      {messages.length === 0 ? <p>{s.empty}</p> : null}
      <InlineError at={errorPlace.messages} />
      {unread.length > 1 ? (
        <button type="button" onClick={() => void markRead(unread)}>
          {s.markAllRead}
        </button>
      ) : null}
      <ul className="cards">
        {messages.map((m) => (
          <li key={m.id} className={m.read ? 'card' : 'card unread'} data-testid="message">
            <p className="muted small">
              {!m.read ? <strong className="pill">{s.unread}</strong> : null} {s.from(m.provider, formatDateTime(m.utc))}
            </p>
            {/* Server text is rendered as text, never as HTML. */}
            <p className="message-text">{m.text}</p>
            {!m.read ? (
              <button type="button" onClick={() => void markRead([m.id])}>
                {s.markRead}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <DisclaimersSection />
    </section>
  );
}
