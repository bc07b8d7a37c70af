import { pages, type Page } from '../state/store';
import { strings } from '../strings';
import { useApp } from '../state/context';

/** Page navigation; the Messages entry carries the unread badge. */
export function NavBar() {
  const page = useApp((s) => s.page);
  const setPage = useApp((s) => s.setPage);
  const unread = useApp((s) => s.agent?.unreadMessages ?? s.messages.filter((m) => !m.read).length);
  const label = (p: Page) => strings.nav[p];
  return (
    <nav aria-label={strings.nav.label} className="nav">
      <ul>
        {pages.map((p) => (
          <li key={p}>
            <button
              type="button"
              aria-current={page === p ? 'page' : undefined}
              onClick={() => setPage(p)}
              data-testid={`nav-${p}`}
            >
              {label(p)}
              {p === 'messages' && unread > 0 ? (
                <span className="badge" aria-label={strings.nav.unread(unread)} data-testid="unread-badge">
                  {unread}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
