import { useEffect } from 'react';
import { errorPlace } from '../state/error-places';
import { InlineError } from '../shell/InlineError';
import type { ScannerTarget, ScanSummary } from '../../app/ipc/scanner-contract';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { ScannerSettingsForm } from './ScannerSettingsForm';
import { formatDateTime } from '../shell/format-date';

const s = strings.scanner;
const when = formatDateTime;
const listOr = (xs: string[]) => (xs.length ? xs.join(', ') : s.none);

function TargetsTable({ targets }: { targets: ScannerTarget[] }) {
  return (
    <table className="records" data-testid="scanner-targets">
      <caption>{s.targetsTable}</caption>
      <thead>
        <tr>
          <th scope="col">{s.server}</th>
          <th scope="col">{s.schedule}</th>
          <th scope="col">{s.purposes}</th>
          <th scope="col">{s.storeTypes}</th>
          <th scope="col">{s.sentTotal}</th>
        </tr>
      </thead>
      <tbody>
        {targets.map((t) => (
          <tr key={t.target}>
            <th scope="row">{t.target}</th>
            <td>
              {t.settings ? (s.schedules[t.settings.schedule] ?? t.settings.schedule) : s.notSeen}
              {t.oneShotDoneAt ? <div className="muted small">{s.oneShotDone(when(t.oneShotDoneAt))}</div> : null}
            </td>
            <td>{t.settings ? listOr(t.settings.purposes) : ''}</td>
            <td>{t.settings ? listOr(t.settings.storeTypes.map((x) => s.storeTypeNames[x] ?? x)) : ''}</td>
            <td>{s.sentCounts(t.sent, t.stored, t.skipped)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ScansTable({ scans }: { scans: ScanSummary[] }) {
  return (
    <table className="records" data-testid="scanner-scans">
      <caption>{s.scansTable}</caption>
      <thead>
        <tr>
          <th scope="col">{s.when}</th>
          <th scope="col">{s.server}</th>
          <th scope="col">{s.trigger}</th>
          <th scope="col">{s.result}</th>
          <th scope="col">{s.scanned}</th>
          <th scope="col">{s.matched}</th>
          <th scope="col">{s.sent}</th>
          <th scope="col">{s.problems}</th>
        </tr>
      </thead>
      <tbody>
        {scans.map((r) => (
          <tr key={`${r.at}/${r.target}`}>
            <th scope="row">{when(r.at)}</th>
            <td>{r.target}</td>
            <td>{s.triggers[r.trigger] ?? r.trigger}</td>
            <td>{s.statuses[r.status] ?? r.status}</td>
            <td>
              <ul className="plain">
                {r.scanned.map((x) => (
                  <li key={`${x.source}/${x.storeType}`}>
                    {s.sourceCount(s.place(x.source, x.place), s.storeTypeNames[x.storeType] ?? x.storeType, x.certificates)}
                  </li>
                ))}
              </ul>
            </td>
            <td>{r.matched}</td>
            <td>{s.sentOfRun(r.sent, r.stored, r.skippedByServer)}</td>
            <td>
              {[coreMessage(r.errorText, r.error), r.skippedItems ? s.skippedFiles(r.skippedItems) : '']
                .filter(Boolean)
                .join('; ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The certificate scan (cert scraping) on the Settings page: what each KeyTalk server asked for and received,
 * the last runs, a manual scan, and the user's own settings including the consent to send private keys.
 */
export function ScannerSection() {
  const scanner = useApp((st) => st.scanner);
  const run = useApp((st) => st.scanRun);
  const scanning = useApp((st) => st.scanning);
  const load = useApp((st) => st.loadScanner);
  const scanNow = useApp((st) => st.scanNow);
  const agentState = useApp((st) => st.agent);
  // A scan after sign-in finishes with the enrollment; the core then publishes a state change.
  useEffect(() => {
    void load();
  }, [load, agentState]);
  return (
    <section aria-labelledby="scanner-title" data-testid="scanner">
      <h3 id="scanner-title">{s.title}</h3>
      <p>{s.intro}</p>
      {scanner && scanner.targets.length ? <TargetsTable targets={scanner.targets} /> : null}
      {scanner && scanner.lastScans.length ? <ScansTable scans={scanner.lastScans} /> : <p>{s.noScans}</p>}
      <div className="row">
        <button type="button" disabled={scanning} onClick={() => void scanNow(true)}>
          {s.preview}
        </button>
        <button type="button" disabled={scanning} onClick={() => void scanNow(false)}>
          {s.scanNow}
        </button>
        {scanning ? <span role="status">{s.scanning}</span> : null}
      </div>
      <InlineError at={errorPlace.scanner} />
      <InlineError at={errorPlace.scannerReport} />
      {run && run.certificates.length ? (
        <>
          <h4>{s.runTitle}</h4>
          <ul className="plain" data-testid="scanner-run">
            {run.certificates.map((c) => (
              <li key={c.sha256}>
                {c.subject} <span className="muted">({c.purposes.join(', ')})</span>: {s.outcomes[c.outcome] ?? c.outcome}
                {c.withKey ? `, ${s.withKey}` : ''}
              </li>
            ))}
            {run.more ? <li>{s.more(run.more)}</li> : null}
          </ul>
        </>
      ) : null}
      {scanner ? <ScannerSettingsForm local={scanner.local} locked={scanner.locked} /> : null}
    </section>
  );
}
