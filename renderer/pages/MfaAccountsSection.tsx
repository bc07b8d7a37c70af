import { useEffect } from 'react';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.mfaAccounts;

/** Settings: saved MFA sign-ins per identity provider, each with Sign out (shown only when there is one). */
export function MfaAccountsSection() {
  const groups = useApp((st) => st.mfaAccounts);
  const load = useApp((st) => st.loadMfaAccounts);
  const signOut = useApp((st) => st.mfaSignOut);
  useEffect(() => {
    void load();
  }, [load]);
  const failed = useApp((st) => st.errorAt === errorPlace.mfaList && !!st.error);
  // No saved sign-in and nothing went wrong: nothing to show. A failed list still shows its error here.
  if (!groups.length && !failed) return null;
  return (
    <section aria-labelledby="mfa-accounts-title" data-testid="mfa-accounts">
      <h3 id="mfa-accounts-title">{s.title}</h3>
      <p className="muted">{s.intro}</p>
      <InlineError at={errorPlace.mfaList} />
      <InlineError at={errorPlace.mfa} />
      {groups.map((g) => (
        <div key={`${g.authority}|${g.clientId}`}>
          <h4>{s.at(g.authority)}</h4>
          {g.endsIdpSession ? <p className="muted small">{s.endsIdpSession}</p> : null}
          <ul className="plain">
            {g.accounts.map((a) => (
              <li key={a.username} className="row">
                <span>
                  {a.name ? `${a.name} ` : null}
                  <span className="muted">{a.username}</span>
                </span>
                <button
                  type="button"
                  aria-label={s.signOutOf(a.username, g.authority)}
                  onClick={() => void signOut(g.authority, g.clientId, a.username)}
                >
                  {s.signOut}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
