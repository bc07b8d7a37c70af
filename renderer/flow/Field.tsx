import type { InputHTMLAttributes } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/**
 * One labelled field of a flow form. The label names the input through htmlFor/id, which is how screen
 * readers, the component tests and the e2e flows find it ("User name", "Password", ...). With `rows` it is a
 * textarea (several values, one per line or space).
 */
export function Field({
  id,
  label,
  value,
  onChange,
  rows,
  ...input
}: InputProps & { id: string; label: string; value: string; onChange: (value: string) => void; rows?: number }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows ? (
        <textarea id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      )}
    </div>
  );
}
