import { useEffect } from 'react';
import { coreMessage } from '../i18n/core-text';
import type { Settings } from '../../app/ipc/contract';
import { CheckboxRow } from '../shell/CheckboxRow';
import { InlineError } from '../shell/InlineError';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { DiagnosticsSection } from './DiagnosticsSection';
import { LanguageSelect } from './LanguageSelect';
import { MfaAccountsSection } from './MfaAccountsSection';
import { ScannerSection } from './ScannerSection';
import { StoresSection } from './StoresSection';

const s = strings.settings;
const logLevels: Settings['logLevel'][] = ['error', 'warn', 'info', 'debug'];
const themes: Settings['theme'][] = ['system', 'light', 'dark'];

/** The engine's default (app/engine/password-expiry.ts); a value set by hand in settings.json stays selectable. */
const DEFAULT_WARN_DAYS = 14;
const warnDayChoices = (current = DEFAULT_WARN_DAYS) => [...new Set([3, 7, 14, 30, current])].sort((a, b) => a - b);

export function SettingsPage() {
  const settings = useApp((st) => st.settings);
  const agent = useApp((st) => st.agent);
  const save = useApp((st) => st.saveSettings);
  const removeProvider = useApp((st) => st.removeProvider);
  const about = useApp((st) => st.about);
  const loadStores = useApp((st) => st.loadStores);
  const loadAbout = useApp((st) => st.loadAbout);
  const openLogFolder = useApp((st) => st.openLogFolder);
  useEffect(() => {
    void loadAbout();
  }, [loadAbout]);
  useEffect(() => {
    void loadStores();
  }, [loadStores]);
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">{s.title}</h2>
      {agent?.repaired?.map((r, i) =>
        r.startsWith('settings.json') ? (
          <p key={r} className="error-text" data-testid="settings-warning">
            {coreMessage(agent.repairedTexts?.[i], r)}
          </p>
        ) : null,
      )}
      {/* The managed policy's problems (each bad key was ignored): where the settings it would pin are. */}
      {agent?.policyWarnings?.map((w, i) => (
        <p key={w} className="error-text small" data-testid="policy-warning">
          {coreMessage(agent.policyWarningTexts?.[i], w)}
        </p>
      ))}
      {settings ? (
        <fieldset>
          <legend>{s.general}</legend>
          {/* A refused change of these settings is said here, where the user just changed one. */}
          <InlineError at="settings" />
          <CheckboxRow
            id="autostart"
            label={s.autostart}
            checked={settings.autostart}
            managedNote={settings.locked?.autostart ? s.managed : undefined}
            onChange={(autostart) => void save({ autostart })}
          />
          <CheckboxRow
            id="open-service-uris"
            label={s.openServiceUris}
            checked={settings.openServiceUris !== false}
            onChange={(openServiceUris) => void save({ openServiceUris })}
          />
          <div className="row">
            <label htmlFor="password-warn-days">{strings.password.warnDays}</label>
            <select
              id="password-warn-days"
              value={settings.passwordWarnDays ?? DEFAULT_WARN_DAYS}
              onChange={(e) => void save({ passwordWarnDays: Number(e.target.value) })}
            >
              {warnDayChoices(settings.passwordWarnDays).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <label htmlFor="log-level">{s.logLevel}</label>
            <select
              id="log-level"
              value={settings.logLevel}
              disabled={settings.locked?.logLevel !== undefined}
              aria-describedby={settings.locked?.logLevel ? 'log-level-managed' : undefined}
              onChange={(e) => void save({ logLevel: e.target.value as Settings['logLevel'] })}
            >
              {logLevels.map((l) => (
                <option key={l} value={l}>
                  {s.logLevels[l]}
                </option>
              ))}
            </select>
            {settings.locked?.logLevel ? (
              <span id="log-level-managed" className="field-hint" data-testid="managed">
                {s.managed}
              </span>
            ) : null}
          </div>
          <div className="row">
            <label htmlFor="theme">{s.theme}</label>
            <select id="theme" value={settings.theme} onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}>
              {themes.map((t) => (
                <option key={t} value={t}>
                  {s.themes[t]}
                </option>
              ))}
            </select>
          </div>
          <LanguageSelect />
        </fieldset>
      ) : null}
      <StoresSection />
      <MfaAccountsSection />
      <ScannerSection />
      <DiagnosticsSection />
      <h3>{s.providers}</h3>
      {agent && agent.providers.length > 0 ? (
        <ul className="plain">
          {agent.providers.map((p) => (
            <li key={p.name} className="row">
              <span>
                {p.name} <span className="muted">({p.server})</span>
              </span>
              <button type="button" aria-label={s.removeProvider(p.name)} onClick={() => void removeProvider(p.name)}>
                {strings.common.remove}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{s.noProviders}</p>
      )}
      <h3>{s.logs}</h3>
      <button type="button" onClick={() => void openLogFolder()}>
        {s.openLogs}
      </button>
      <h3>{s.about}</h3>
      <p>
        {strings.appName} {agent ? s.version(agent.version) : null}
      </p>
      {about ? (
        <dl className="facts" aria-label={s.versions} data-testid="about">
          <dt>{s.node}</dt>
          <dd>{about.node}</dd>
          {about.electron ? (
            <>
              <dt>{s.electron}</dt>
              <dd>{about.electron}</dd>
            </>
          ) : null}
          {about.chrome ? (
            <>
              <dt>{s.chrome}</dt>
              <dd>{about.chrome}</dd>
            </>
          ) : null}
          <dt>{s.rcdp}</dt>
          <dd>{about.rcdpVersions.join(', ')}</dd>
        </dl>
      ) : null}
      <p className="muted">{about ? s.licenseIs(about.license) : s.license}</p>
    </section>
  );
}
