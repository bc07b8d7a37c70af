import { strings } from '../strings';
import { useApp } from '../state/context';

const s = strings.diagnostics;

/**
 * Settings: "Test connection" runs the core's doctor (every provider's DNS, connection, TLS trust, protocol, clock,
 * server health, and this computer's stores and secret store) and shows one row per check, so a user can read the
 * failing line to the helpdesk. The result stays here, beside the button (not in the global alert).
 */
export function DiagnosticsSection() {
  const doctor = useApp((st) => st.doctor);
  const run = useApp((st) => st.runDoctor);
  const report = doctor.report;
  return (
    <section aria-labelledby="diagnostics-title" aria-busy={doctor.running} data-testid="diagnostics">
      <h3 id="diagnostics-title">{s.title}</h3>
      <div className="row">
        <button type="button" disabled={doctor.running} onClick={() => void run()}>
          {s.testConnection}
        </button>
      </div>
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
                  <td>{c.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
