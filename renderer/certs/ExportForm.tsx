import { useId, useState, type FormEvent } from 'react';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.certificates;

/** Hand the bytes (a P12, a support bundle) to the browser as a download (works in Electron and in the browser host). */
export function downloadBase64(fileName: string, dataBase64: string, type = 'application/x-pkcs12'): void {
  const binary = atob(dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export one certificate with its key as PKCS#12: the password is typed twice and checked before sending. */
export function ExportForm({
  fingerprint,
  subject,
  onDone,
  download = downloadBase64,
}: {
  fingerprint: string;
  subject: string;
  onDone: () => void;
  download?: (fileName: string, dataBase64: string) => void;
}) {
  const exportCert = useApp((st) => st.exportCert);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 8) return setProblem(s.exportTooShort);
    if (password !== confirm) return setProblem(s.exportDiffer);
    setProblem(undefined);
    setBusy(true);
    const res = await exportCert(fingerprint, password);
    setBusy(false);
    if (res) {
      download(res.fileName, res.dataBase64);
      onDone();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={s.exportTitle(subject)} className="stack">
      <div className="row">
        <label htmlFor={`${id}-pw`}>{s.exportPassword}</label>
        <input
          id={`${id}-pw`}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="row">
        <label htmlFor={`${id}-pw2`}>{s.exportConfirm}</label>
        <input
          id={`${id}-pw2`}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </div>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      <InlineError at={errorPlace.export(fingerprint)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {s.exportSubmit}
        </button>
        <button type="button" onClick={onDone}>
          {strings.common.cancel}
        </button>
      </div>
    </form>
  );
}
