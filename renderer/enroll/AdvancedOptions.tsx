import type { EnrollAdvanced } from '../state/store';
import { CheckboxRow } from '../shell/CheckboxRow';
import { strings } from '../strings';

const s = strings.enroll;
type Format = NonNullable<EnrollAdvanced['format']>;
const formats: Format[] = ['P12v2', 'P12', 'PEM'];

/**
 * The Enroll form's "Advanced" choices: package format, CSR mode (the key is made on this computer and never
 * leaves it) and out-of-band download. Collapsed by default: the engine's defaults (P12v2, or P12 on servers that
 * predate it; server-generated key) are right for nearly everyone, and a closed <details> keeps the form short.
 * Unset choices are left out of the request so the engine keeps deciding them.
 */
export function AdvancedOptions({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: EnrollAdvanced;
  onChange: (value: EnrollAdvanced) => void;
}) {
  const formatId = `${idPrefix}-format`;
  return (
    <details className="advanced">
      <summary>{s.advanced}</summary>
      <div className="row">
        <label htmlFor={formatId}>{s.format}</label>
        <select
          id={formatId}
          value={value.format ?? ''}
          onChange={(e) => onChange({ ...value, format: (e.target.value || undefined) as Format | undefined })}
        >
          <option value="">{s.formatAuto}</option>
          {formats.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      <CheckboxRow
        id={`${idPrefix}-csr`}
        label={s.csrMode}
        checked={!!value.csr}
        onChange={(csr) => onChange({ ...value, csr: csr || undefined })}
      />
      <CheckboxRow
        id={`${idPrefix}-oob`}
        label={s.outOfBand}
        checked={!!value.outOfBand}
        onChange={(outOfBand) => onChange({ ...value, outOfBand: outOfBand || undefined })}
      />
    </details>
  );
}
