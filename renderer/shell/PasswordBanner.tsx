import type { PasswordExpiry } from '../../app/ipc/contract';
import { useApp } from '../state/context';
import { strings } from '../strings';
import { formatDate } from './format-date';

const s = strings.password;
const none: PasswordExpiry[] = [];

/**
 * Passwords the server says expire within the warning window (AgentState.passwordExpiries, Settings'
 * passwordWarnDays): on every page until the password is changed, because an expired password stops silent
 * renewal and, on a Windows domain, the whole sign-in. "Change password" runs RCDP 2.6.7 as a flow on the
 * Enroll page, so the usual sign-in form, errors and DELAY countdown apply.
 */
export function PasswordBanner() {
  const expiring = useApp((st) => st.agent?.passwordExpiries ?? none);
  const change = useApp((st) => st.changePassword);
  if (!expiring.length) return null;
  return (
    <section className="card password-banner" role="status" aria-labelledby="password-banner-title" data-testid="password-banner">
      <h2 id="password-banner-title">{s.bannerTitle}</h2>
      <ul>
        {expiring.map((p) => (
          <li key={`${p.provider}/${p.service}/${p.userId ?? ''}`} className="row">
            <span>{s.expires(p.userId, `${p.provider} / ${p.service}`, p.daysLeft, formatDate(p.expiresAt))}</span>
            <button type="button" onClick={() => void change(p.provider, p.service)}>
              {s.change}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
