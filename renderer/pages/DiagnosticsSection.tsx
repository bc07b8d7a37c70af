import { downloadBase64 } from '../certs/ExportForm';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.diagnostics;

/**
 * Settings: "Test connection" runs the core's doctor (every provider's DNS, connection, TLS trust, protocol, clock,
 * server health, and this computer's stores and secret store) and shows one row per check, so a user can read the
 * failing line to the helpdesk. The detail is the core's coded line (`doctor.*`) in the user's language; a line
 * the UI cannot word (a newer core, an uncoded OS error) shows the core's English. "Create support bundle" downloads the core's zip (no secrets) to send along.
 * Results and errors stay here, beside the buttons (not in the global alert).
 */
export function DiagnosticsSection() {
  const doctor = useApp((st) => st.doctor);
  const run = useApp((st) => st.runDoctor);
  const bundle = useApp((st) => st.bundle);
  const createBundle = useApp((st) => st.createSupportBundle);
  const report = doctor.report;
  return (
    <section aria-labelledby="diagnostics-title" aria-busy={doctor.running || bundle.running} data-testid="diagnostics">
      <h3 id="diagnostics-title">{s.title}</h3>
      <div className="row">
        <button type="button" disabled={doctor.running} onClick={() => void run()}>
          {s.testConnection}
        </button>
        <button
          type="button"
          disabled={bundle.running}
          onClick={() => void createBundle((name, data) => downloadBase64(name, data, 'application/zip'))}
        >
          {s.createBundle}
        </button>
      </div>
      {bundle.done ? <p role="status">{s.bundleReady}</p> : null}
      {bundle.error ? (
        <p className="error-text" role="alert">
          {bundle.error}
        </p>
      ) : null}
      {doctor.error ? (
        <p className="error-text" role="alert">
          {doctor.error}
        </p>
      ) : null}
      {report ? (
        <>
          <p role="status" className={report.ok ? undefined : 'error-text'}>
            {report.ok ? s.allPassed : s.someFailed}
          </p>
          <table data-testid="doctor-report">
            <thead>
              <tr>
                <th scope="col">{s.columns.where}</th>
                <th scope="col">{s.columns.check}</th>
                <th scope="col">{s.columns.result}</th>
                <th scope="col">{s.columns.details}</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((c, i) => (
                <tr key={`${c.scope}-${c.id}-${i}`} data-status={c.status}>
                  <td>{c.scope === 'local' ? s.thisComputer : c.scope}</td>
                  <td>{s.checks[c.id] ?? c.id}</td>
                  <td className={c.status === 'fail' ? 'error-text' : undefined}>{s.status[c.status]}</td>
                  <td>{coreMessage(c.summaryText, c.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
