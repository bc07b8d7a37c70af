import { useState, type DragEvent } from 'react';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.enroll;

/** Import an .rccd by file picker or drag-and-drop; the bytes go to the core, which parses and checks them. */
export function RccdImport() {
  const importRccd = useApp((st) => st.importRccd);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  // An RCCD that vouches for itself is not imported until the user has read why and confirmed (as the CLI's
  // --accept-unsigned): the file is kept here, not in the core, so nothing is stored before the yes.
  const [confirm, setConfirm] = useState<{ file: File; reasons: string[] }>();
  const take = async (file: File | undefined, acceptUnsigned?: boolean) => {
    if (!file) return;
    setBusy(true);
    setConfirm(undefined);
    try {
      const res = await importRccd(file, acceptUnsigned);
      if (res && 'needsConfirmation' in res)
        setConfirm({ file, reasons: res.needsConfirmation.map((r, i) => coreMessage(res.needsConfirmationTexts?.[i], r)) });
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };
  return (
    <section
      className={over ? 'dropzone over' : 'dropzone'}
      aria-labelledby="rccd-title"
      data-testid="rccd-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <h3 id="rccd-title">{s.importTitle}</h3>
      <input
        id="rccd-file"
        className="visually-hidden-input"
        type="file"
        accept=".rccd"
        disabled={busy}
        onChange={(e) => {
          void take(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <label htmlFor="rccd-file" className="button-like">
        {s.pickFile}
      </label>{' '}
      <span className="muted">{busy ? s.importing : s.dropHere}</span>
      {confirm && (
        <div role="alertdialog" aria-labelledby="rccd-confirm-title" aria-describedby="rccd-confirm-intro" className="notice">
          <h4 id="rccd-confirm-title">{s.confirmTitle}</h4>
          <p id="rccd-confirm-intro">{s.confirmIntro}</p>
          <ul>
            {confirm.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <button type="button" onClick={() => void take(confirm.file, true)}>
            {s.confirmImport}
          </button>{' '}
          <button type="button" onClick={() => setConfirm(undefined)}>
            {s.confirmCancel}
          </button>
        </div>
      )}
    </section>
  );
}
