import { useState, type FormEvent } from 'react';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import type { ScannerReport, ScannerUserSettings } from '../../app/ipc/scanner-contract';
import { CheckboxRow } from '../shell/CheckboxRow';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.scanner;

function PathList(props: {
  id: string;
  title: string;
  addLabel: string;
  paths: string[];
  onSave: (paths: string[]) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const p = text.trim();
    if (!p) return;
    // The core checks the path (absolute, this platform's rules); on refusal the text stays for correcting.
    if (await props.onSave([...props.paths, p])) setText('');
  };
  return (
    <div>
      <h4 id={`${props.id}-title`}>{props.title}</h4>
      {props.paths.length ? (
        <ul className="plain" aria-labelledby={`${props.id}-title`} data-testid={props.id}>
          {props.paths.map((p) => (
            <li key={p} className="row">
              <code>{p}</code>
              <button
                type="button"
                aria-label={s.removePath(p)}
                onClick={() => void props.onSave(props.paths.filter((x) => x !== p))}
              >
                {strings.common.remove}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{s.noPaths}</p>
      )}
      <form className="row" onSubmit={(e) => void add(e)}>
        <label htmlFor={`${props.id}-add`}>{props.addLabel}</label>
        <input id={`${props.id}-add`} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">{s.add}</button>
      </form>
    </div>
  );
}

/**
 * The user's scanner settings: the consent to scanning, folders and NSS databases to include, expired certificates,
 * private-key consent. A consent the organisation's policy pins is disabled and marked managed (policy > user).
 */
export function ScannerSettingsForm({ local, locked }: { local: ScannerUserSettings; locked?: ScannerReport['locked'] }) {
  const save = useApp((st) => st.saveScannerSettings);
  return (
    <fieldset>
      <legend>{s.settingsTitle}</legend>
      <InlineError at={errorPlace.scannerSettings} />
      <CheckboxRow
        id="scanner-enabled"
        label={s.scanningEnabled}
        checked={local.scanningEnabled}
        managedNote={locked?.scanningEnabled ? strings.settings.managed : undefined}
        onChange={(scanningEnabled) => void save({ scanningEnabled })}
      />
      <PathList
        id="scanner-folders"
        title={s.folders}
        addLabel={s.addFolder}
        paths={local.folders}
        onSave={(folders) => save({ folders })}
      />
      <PathList
        id="scanner-nssdbs"
        title={s.nssDbs}
        addLabel={s.addNssDb}
        paths={local.nssDbs}
        onSave={(nssDbs) => save({ nssDbs })}
      />
      <CheckboxRow
        id="scanner-expired"
        label={s.includeExpired}
        checked={local.includeExpired}
        onChange={(includeExpired) => void save({ includeExpired })}
      />
      <CheckboxRow
        id="scanner-keys"
        label={s.sendPrivateKeys}
        checked={local.sendPrivateKeys}
        describedBy="scanner-keys-help"
        managedNote={locked?.sendPrivateKeys ? strings.settings.managed : undefined}
        onChange={(sendPrivateKeys) => void save({ sendPrivateKeys })}
      />
      <p id="scanner-keys-help" className="muted small">
        {s.sendPrivateKeysHelp}
      </p>
    </fieldset>
  );
}
