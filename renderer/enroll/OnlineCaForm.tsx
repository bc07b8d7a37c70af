import { useState, type FormEvent } from 'react';
import type { ProviderSummary } from '../../app/ipc/contract';
import { strings } from '../strings';
import { useApp } from '../state/context';
import {
  checkOnlineCaInput,
  emptyOnlineCaInput,
  type OnlineCaErrors,
  type OnlineCaField,
  type OnlineCaInput,
} from './onlineca-input';

const s = strings.onlineCa;
const noProviders: ProviderSummary[] = [];
const order: OnlineCaField[] = ['name', 'url', 'pin', 'renewPercent'];

interface FieldProps {
  field: OnlineCaField;
  label: string;
  hint: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
  type?: 'text' | 'url' | 'number';
  extra?: Record<string, string | number | boolean>;
}

/** One labelled input with its hint and, after a failed submit, its error, both tied to it for screen readers. */
function Field({ field, label, hint, value, error, onChange, type = 'text', extra }: FieldProps) {
  const id = `onlineca-${field}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(e) => onChange(e.target.value)}
        {...extra}
      />
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} className="error-text" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** "Add an Online CA": a provider from its service URL; trust is confirmed (or pinned) at its first enrollment. */
export function OnlineCaForm() {
  const addOnlineCa = useApp((st) => st.addOnlineCa);
  const providers = useApp((st) => st.agent?.providers ?? noProviders);
  const [input, setInput] = useState<OnlineCaInput>(emptyOnlineCaInput);
  const [errors, setErrors] = useState<OnlineCaErrors>({});
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const names = providers.map((p) => p.name);

  const change = (field: OnlineCaField) => (value: string) => {
    const next = { ...input, [field]: value };
    setInput(next);
    // After the first submit, messages follow the typing so a fixed field stops being flagged.
    if (checked) setErrors(checkOnlineCaInput(next, names).errors);
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const result = checkOnlineCaInput(input, names);
    setChecked(true);
    setErrors(result.errors);
    if (!result.request) {
      const first = order.find((f) => result.errors[f]);
      if (first) e.currentTarget.querySelector<HTMLInputElement>(`#onlineca-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      if (await addOnlineCa(result.request)) {
        setInput(emptyOnlineCaInput);
        setChecked(false);
      }
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (field: OnlineCaField) => ({
    field,
    value: input[field],
    error: errors[field],
    onChange: change(field),
  });

  return (
    <section className="card onlineca-add" aria-labelledby="onlineca-title" data-testid="onlineca-form">
      <h3 id="onlineca-title">{s.title}</h3>
      <p className="muted">{s.intro}</p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="onlineca-title">
        <Field {...fieldProps('name')} label={s.name} hint={s.nameHint} extra={{ autoComplete: 'off', maxLength: 80 }} />
        <Field {...fieldProps('url')} label={s.url} hint={s.urlHint} type="url" extra={{ inputMode: 'url', spellCheck: false }} />
        <Field
          {...fieldProps('pin')}
          label={s.pin}
          hint={s.pinHint}
          extra={{ className: 'mono', spellCheck: false, autoComplete: 'off' }}
        />
        <Field
          {...fieldProps('renewPercent')}
          label={s.renewPercent}
          hint={s.renewHint}
          type="number"
          extra={{ min: 1, max: 99, step: 1 }}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? s.adding : s.submit}
          </button>
        </div>
      </form>
    </section>
  );
}
