import { useState, type FormEvent } from 'react';
import { coreMessage } from '../i18n/core-text';
import { tr } from '../i18n/i18n';
import type { FlowAnswer, FlowPrompt } from '../../app/model/flow-types';
import { CheckboxRow } from '../shell/CheckboxRow';
import { strings } from '../strings';
import { Field } from './Field';

const s = strings.flow;
type PromptOf<K extends FlowPrompt['kind']> = Extract<FlowPrompt, { kind: K }>;
type Submit = (answer: FlowAnswer) => void;
/** What every prompt form gets: the engine's prompt, where the answer goes, and how to cancel the flow. */
type FormProps<K extends FlowPrompt['kind']> = { prompt: PromptOf<K>; onSubmit: Submit; onCancel: () => void };

/** USERID / PASSWD / PIN / OTP in the user's language; the server's own label (serverLabel, e.g. "tokencode") wins. */
function credentialLabel(name: string, realm?: string): string | undefined {
  // Read at each render, not once at load: the labels follow the language chosen while the app runs.
  if (realm && name === 'USERID') return tr('flow.userIdFor', { realm });
  if (realm && name === 'PASSWD') return tr('flow.passwordFor', { realm });
  return ({ USERID: s.userId, PASSWD: s.password, PIN: s.pin, OTP: s.otp, RESPONSE: s.response } as Record<string, string>)[name];
}

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

/**
 * "Remember on this computer", and before the user agrees, how the secret would be kept when that is not the OS
 * secret store (a key file, or Linux safeStorage's fixed-key 'basic_text'); disabled and marked managed when the
 * organisation's policy forbids remembering (issue 22).
 */
function RememberRow({
  prompt,
  remember,
  onChange,
}: {
  prompt: PromptOf<'credentials'>;
  remember: boolean;
  onChange: (v: boolean) => void;
}) {
  if (prompt.rememberLocked)
    return (
      <CheckboxRow id="remember" label={s.remember} checked={false} onChange={() => {}} managedNote={strings.settings.managed} />
    );
  if (!prompt.offerRemember) return null;
  const warning =
    prompt.rememberProtection === 'none'
      ? s.rememberUnprotected
      : prompt.rememberProtection === 'weak'
        ? s.rememberKeyFile
        : undefined;
  return (
    <>
      <CheckboxRow
        id="remember"
        label={s.remember}
        checked={remember}
        onChange={onChange}
        describedBy={warning ? 'remember-protection' : undefined}
      />
      {warning ? (
        <p id="remember-protection" className="field-hint warning" data-testid="remember-protection">
          {warning}
        </p>
      ) : null}
    </>
  );
}

/** Sign-in heading: whom the user signs in to ("Sign in to Acme — Employees") when known, else just "Sign in". */
function signInTitle(to: { provider?: string; service?: string } | undefined): string {
  if (to?.provider && to.service) return s.signInTo(to.provider, to.service);
  if (to?.provider) return s.signInToProvider(to.provider);
  return s.title;
}

export function CredentialsForm({
  prompt,
  signInTo,
  onSubmit,
  onCancel,
}: FormProps<'credentials'> & { signInTo?: { provider?: string; service?: string } }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(prompt.fields.map((f) => [f.name, f.secret ? '' : (f.value ?? '')])),
  );
  const [remember, setRemember] = useState(false);
  // After a rejected attempt the user name is usually right and the password is not: start there.
  const focusName = (prompt.error && prompt.fields.find((f) => f.secret)?.name) || prompt.fields[0]?.name;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ kind: 'credentials', values, remember: prompt.offerRemember && !prompt.rememberLocked && remember });
  };
  return (
    <form onSubmit={submit} aria-labelledby="flow-title">
      <h3 id="flow-title">{signInTitle(signInTo)}</h3>
      <PromptError error={coreMessage(prompt.errorText, prompt.error)} />
      {prompt.fields.map((f) => (
        <Field
          key={f.name}
          id={`cred-${f.name}`}
          label={(f.serverLabel ? f.label : credentialLabel(f.name, f.realm)) || f.label || f.name}
          type={f.secret ? 'password' : 'text'}
          autoComplete={f.secret ? 'off' : 'username'}
          required
          autoFocus={f.name === focusName}
          value={values[f.name] ?? ''}
          onChange={(v) => setValues({ ...values, [f.name]: v })}
        />
      ))}
      <RememberRow prompt={prompt} remember={remember} onChange={setRemember} />
      <Actions submitText={s.submit} onCancel={onCancel} />
    </form>
  );
}

/** Challenge/response: every challenge the server sent is shown with one answer field per response name. */
export function ChallengeForm({ prompt, onSubmit, onCancel }: FormProps<'challenge'>) {
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
          <Field
            key={name}
            id={`resp-${i}`}
            label={challenge ? `${challenge.name}: ${challenge.value}` : name}
            type="password"
            autoComplete="off"
            required
            autoFocus={i === 0}
            value={values[name] ?? ''}
            onChange={(v) => setValues({ ...values, [name]: v })}
          />
        );
      })}
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}

export function OtpForm({ prompt, onSubmit, onCancel }: FormProps<'otp'>) {
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
      <Field
        id="otp"
        label={s.otp}
        type="password"
        autoComplete="one-time-code"
        required
        autoFocus
        value={otp}
        onChange={setOtp}
      />
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}

export function ChangePasswordForm({ prompt, onSubmit, onCancel }: FormProps<'change-password'>) {
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
      <PromptError error={mismatch ? s.passwordsDiffer : coreMessage(prompt.errorText, prompt.error)} />
      <Field
        id="old-password"
        label={s.oldPassword}
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        value={oldPassword}
        onChange={setOld}
      />
      <Field
        id="new-password"
        label={s.newPassword}
        type="password"
        autoComplete="new-password"
        required
        value={newPassword}
        onChange={setNew}
      />
      <Field
        id="confirm-password"
        label={s.confirmPassword}
        type="password"
        autoComplete="new-password"
        required
        aria-invalid={mismatch}
        value={confirm}
        onChange={(v) => {
          setConfirm(v);
          setMismatch(false);
        }}
      />
      <Actions submitText={s.changePassword} onCancel={onCancel} />
    </form>
  );
}

export function ApproverEmailForm({ prompt, onSubmit, onCancel }: FormProps<'approver-email'>) {
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

export function CertOptionsForm({ prompt, onSubmit, onCancel }: FormProps<'cert-options'>) {
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
      {prompt.allowCommonName ? <Field id="cn" label={s.commonName} value={commonName} onChange={setCn} /> : null}
      {prompt.allowGivenNameSurname ? (
        <>
          <Field id="given-name" label={s.givenName} value={givenName} onChange={setGiven} />
          <Field id="surname" label={s.surname} value={surname} onChange={setSurname} />
        </>
      ) : null}
      {prompt.allowSanDomains ? <Field id="san" label={s.sanDomains} rows={3} value={san} onChange={setSan} /> : null}
      <Actions submitText={strings.common.continue} onCancel={onCancel} />
    </form>
  );
}
