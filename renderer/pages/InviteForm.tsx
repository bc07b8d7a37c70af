import { useState, type FormEvent } from 'react';
import { isRecipientEmail, isRecipientMobile, normalizeMobile } from '../../app/model/recipients';
import { strings } from '../strings';

const s = strings.selfService;

export interface RecipientInput {
  email: string;
  mobile?: string;
}

/** The problems with the typed recipients, in the words shown to the user; [] when they can be sent. */
export function recipientProblems(rows: { email: string; mobile: string }[], mobileRequired: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const email = r.email.trim();
    if (!isRecipientEmail(email)) problems.push(s.badEmail(r.email));
    else if (seen.has(email.toLowerCase())) problems.push(s.duplicate(email));
    seen.add(email.toLowerCase());
    if (r.mobile.trim() && !isRecipientMobile(r.mobile)) problems.push(s.badMobile(r.mobile));
    else if (!r.mobile.trim() && mobileRequired && email) problems.push(s.missingMobile(email));
  }
  return problems;
}

/** One or more recipients (e-mail, optional mobile), checked here before the core is asked. */
export function InviteForm(props: { mobileRequired: boolean; busy: boolean; onSubmit(r: RecipientInput[]): void }) {
  const [rows, setRows] = useState([{ email: '', mobile: '' }]);
  const [problems, setProblems] = useState<string[]>([]);
  const update = (i: number, patch: Partial<{ email: string; mobile: string }>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = recipientProblems(rows, props.mobileRequired);
    setProblems(found);
    if (found.length) return;
    props.onSubmit(
      rows.map((r) =>
        r.mobile.trim() ? { email: r.email.trim(), mobile: normalizeMobile(r.mobile) } : { email: r.email.trim() },
      ),
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={s.recipients}>
      {rows.map((r, i) => (
        <fieldset key={i} data-testid="recipient">
          <legend>{s.recipient(i + 1)}</legend>
          <div className="field">
            <label htmlFor={`recipient-email-${i}`}>{s.email(i + 1)}</label>
            <input
              id={`recipient-email-${i}`}
              type="email"
              autoComplete="off"
              value={r.email}
              onChange={(e) => update(i, { email: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`recipient-mobile-${i}`}>{props.mobileRequired ? s.mobileNeeded(i + 1) : s.mobile(i + 1)}</label>
            <input
              id={`recipient-mobile-${i}`}
              type="tel"
              autoComplete="off"
              value={r.mobile}
              onChange={(e) => update(i, { mobile: e.target.value })}
            />
          </div>
          {rows.length > 1 ? (
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              {s.remove(i + 1)}
            </button>
          ) : null}
        </fieldset>
      ))}
      {problems.length ? (
        <ul className="error-text" role="alert" data-testid="recipient-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => setRows([...rows, { email: '', mobile: '' }])} disabled={rows.length >= 50}>
          {s.add}
        </button>
        <button type="submit" disabled={props.busy}>
          {props.busy ? s.sending : s.submit}
        </button>
      </div>
    </form>
  );
}
