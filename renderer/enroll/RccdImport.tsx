import { useState, type DragEvent } from 'react';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.enroll;

/** Import an .rccd by file picker or drag-and-drop; the bytes go to the core, which parses and checks them. */
export function RccdImport() {
  const importRccd = useApp((st) => st.importRccd);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      await importRccd(file);
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
    </section>
  );
}
