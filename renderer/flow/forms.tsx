import { useState, type FormEvent } from 'react';
import type { FlowAnswer, FlowPrompt } from '../../app/engine/flow-types';
import { strings } from '../strings';

const s = strings.flow;
type PromptOf<K extends FlowPrompt['kind']> = Extract<FlowPrompt, { kind: K }>;
type Submit = (answer: FlowAnswer) => void;

const credentialLabel: Record<string, string> = {
  USERID: s.userId,
  PASSWD: s.password,
  PIN: s.pin,
  OTP: s.otp,
  RESPONSE: s.response,
};

function Actions({ submitText, onCancel }: { submitText: string; onCancel: () => void }) {
  return (
    <div className="actions">
      <button type="submit" className="primary">
        {submitText}
      </button>
      <button type="button" onClick={onCancel}>
        {strings.common.cancel}
      </button>
    </div>
  );
}

function PromptError({ error }: { error?: string }) {
  return error ? (
    <p className="error-text" role="alert">
      {error}
    </p>
  ) : null;
}

/** USERID / PASSWD / PIN / OTP as the server asked for them; the server's own label wins (e.g. "tokencode"). */
export function CredentialsForm({
  prompt,
  onSubmit,
  onCancel,
}: {
  prompt: PromptOf<'credentials'>;
  onSubmit: Submit;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(prompt.fields.map((f) => [f.name, f.secret ? '' : (f.value ?? '')])),
  );
  const [remember, setRemember] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ kind: 'credentials', values, remember: prompt.offerRemember && remember });
  };
  return (
    <form onSubmit={submit} aria-labelledby="flow-title">
      <h3 id="flow-title">{s.title}</h3>
      <PromptError error={prompt.error} />
      {prompt.fields.map((f, i) => (
        <div className="field" key={f.name}>
          <label htmlFor={`cred-${f.name}`}>{f.label || credentialLabel[f.name]}</label>
          <input
            id={`cred-${f.name}`}
            type={f.secret ? 'password' : 'text'}
            autoComplete={f.secret ? 'off' : 'username'}
            required
            autoFocus={i === 0}
            value={values[f.name] ?? ''}
            onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
          />
        </div>
      ))}
      {prompt.offerRemember ? (
        <div className="row">
          <input id="remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <label htmlFor="remember">{s.remember}</label>
        </div>
      ) : null}
      <Actions submitText={s.submit} onCancel={onCancel} />
    </form>
  );
}

/** Challenge/response: every challenge the server sent is shown with one answer field per response name. */
export function ChallengeForm({
  prompt,
  onSubmit,
  onCancel,
}: {
  prompt: PromptOf<'challenge'>;
  onSubmit: Submit;
  onCancel: () => void;
}) {
  const names = prompt.responseNames.length > 0 ? prompt.responseNames : prompt.challenges.map((c) => c.name);
  const [values, setValues] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ kind: 'challenge', responses: names.map((name) => ({ name, value: values[name] ?? '' })) });
  };
  return (
    <form onSubmit={submit} aria-labelledby="flow-title">
      <h3 id="flow-title">{s.challengeTitle}</h3>
      {names.map((name, i) => {
        const challenge = prompt.challenges[i] ?? prompt.challenges.find((c) => c.name === name);
        return (
          <div className="field" key={name}>
            <label htmlFor={`resp-${i}`}>{challenge ? `${challenge.name}: ${challenge.value}` : name}</label>
            <input
              id={`resp-${i}`}
              type="password"
              autoComplete="off"
              required
              autoFocus={i === 0}
              value={values[name] ?? ''}
              onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            />
          </div>
        );
      })}
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}

export function OtpForm({ prompt, onSubmit, onCancel }: { prompt: PromptOf<'otp'>; onSubmit: Submit; onCancel: () => void }) {
  const [otp, setOtp] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ kind: 'otp', otp });
      }}
      aria-labelledby="flow-title"
    >
      <h3 id="flow-title">{s.otpTitle}</h3>
      {prompt.sentTo ? <p>{s.otpSentTo(prompt.sentTo)}</p> : null}
      <PromptError error={prompt.error} />
      <div className="field">
        <label htmlFor="otp">{s.otp}</label>
        <input
          id="otp"
          type="password"
          autoComplete="one-time-code"
          required
          autoFocus
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
        />
      </div>
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}

export function ChangePasswordForm({
  prompt,
  onSubmit,
  onCancel,
}: {
  prompt: PromptOf<'change-password'>;
  onSubmit: Submit;
  onCancel: () => void;
}) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (newPassword !== confirm) {
      setMismatch(true);
      return;
    }
    onSubmit({ kind: 'change-password', oldPassword, newPassword });
  };
  return (
    <form onSubmit={submit} aria-labelledby="flow-title">
      <h3 id="flow-title">{s.changePasswordTitle(prompt.reason)}</h3>
      <PromptError error={mismatch ? s.passwordsDiffer : prompt.error} />
      <div className="field">
        <label htmlFor="old-password">{s.oldPassword}</label>
        <input
          id="old-password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={oldPassword}
          onChange={(e) => setOld(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-password">{s.newPassword}</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="confirm-password">{s.confirmPassword}</label>
        <input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={mismatch}
          value={confirm}
          onChange={(e) => {
            setConfirm(e.target.value);
            setMismatch(false);
          }}
        />
      </div>
      <Actions submitText={s.changePassword} onCancel={onCancel} />
    </form>
  );
}

export function ApproverEmailForm({
  prompt,
  onSubmit,
  onCancel,
}: {
  prompt: PromptOf<'approver-email'>;
  onSubmit: Submit;
  onCancel: () => void;
}) {
  const [email, setEmail] = useState(prompt.emails[0] ?? '');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ kind: 'approver-email', email });
      }}
    >
      <fieldset>
        <legend>{s.approverTitle}</legend>
        {prompt.emails.map((m, i) => (
          <div className="row" key={m}>
            <input
              id={`approver-${i}`}
              type="radio"
              name="approver"
              value={m}
              checked={email === m}
              onChange={() => setEmail(m)}
            />
            <label htmlFor={`approver-${i}`}>{m}</label>
          </div>
        ))}
      </fieldset>
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}

export function CertOptionsForm({
  prompt,
  onSubmit,
  onCancel,
}: {
  prompt: PromptOf<'cert-options'>;
  onSubmit: Submit;
  onCancel: () => void;
}) {
  const [commonName, setCn] = useState('');
  const [givenName, setGiven] = useState('');
  const [surname, setSurname] = useState('');
  const [san, setSan] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const answer: FlowAnswer = { kind: 'cert-options' };
    if (prompt.allowCommonName && commonName) answer.commonName = commonName;
    if (prompt.allowGivenNameSurname && givenName) answer.givenName = givenName;
    if (prompt.allowGivenNameSurname && surname) answer.surname = surname;
    if (prompt.allowSanDomains) {
      const domains = san.split(/\s+/).filter(Boolean);
      if (domains.length) answer.sanDomains = domains;
    }
    onSubmit(answer);
  };
  return (
    <form onSubmit={submit} aria-labelledby="flow-title">
      <h3 id="flow-title">{s.certOptionsTitle}</h3>
      {prompt.allowCommonName ? (
        <div className="field">
          <label htmlFor="cn">{s.commonName}</label>
          <input id="cn" value={commonName} onChange={(e) => setCn(e.target.value)} />
        </div>
      ) : null}
      {prompt.allowGivenNameSurname ? (
        <>
          <div className="field">
            <label htmlFor="given-name">{s.givenName}</label>
            <input id="given-name" value={givenName} onChange={(e) => setGiven(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="surname">{s.surname}</label>
            <input id="surname" value={surname} onChange={(e) => setSurname(e.target.value)} />
          </div>
        </>
      ) : null}
      {prompt.allowSanDomains ? (
        <div className="field">
          <label htmlFor="san">{s.sanDomains}</label>
          <textarea id="san" rows={3} value={san} onChange={(e) => setSan(e.target.value)} />
        </div>
      ) : null}
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}
