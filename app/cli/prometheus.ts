import type { CertificateHook } from '../hooks/hooks-file';
import type { SchedulerStatus } from '../scheduler/scheduler-status';

/**
 * `status --prometheus FILE`: the node_exporter textfile-collector format (one `# HELP`/`# TYPE` per metric, then
 * its samples), so expiry, renewal due time, failures in a row, keep-alive age and hook results can be alerted on
 * with the Prometheus stack an operator already runs. Labels: provider, service, sha256 (keep-alive: template).
 */
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function prometheusText(s: SchedulerStatus, hooks: CertificateHook[], now = Date.now()): string {
  const out: string[] = [];
  const metric = (name: string, help: string, samples: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [l, v] of samples) out.push(`${name}${labels(l)} ${v}`);
  };
  const certLabels = (c: { provider: string; service: string; sha256Fingerprint: string }) => ({
    provider: c.provider,
    service: c.service,
    sha256: c.sha256Fingerprint.toUpperCase(),
  });
  metric(
    'keytalk_agent_certificate_expiry_timestamp_seconds',
    'When the managed certificate expires (Unix time).',
    s.certificates.map((c) => [certLabels(c), seconds(c.notAfter)]),
  );
  metric(
    'keytalk_agent_certificate_renewal_due_timestamp_seconds',
    'When the agent will renew the certificate (Unix time).',
    s.certificates.map((c) => [certLabels(c), seconds(c.renewAt)]),
  );
  metric(
    'keytalk_agent_certificate_renewal_consecutive_failures',
    'Failed renewal attempts in a row (0 when the last one succeeded or none was due).',
    s.certificates.map((c) => [certLabels(c), c.failures]),
  );
  metric(
    'keytalk_agent_certificate_renewal_waiting_for_user',
    '1 when the renewal needs a person (sign-in cannot be silent).',
    s.certificates.map((c) => [certLabels(c), c.state === 'waiting-for-user' ? 1 : 0]),
  );
  metric(
    'keytalk_agent_keepalive_age_seconds',
    'Seconds since the last successful keep-alive (-1: never).',
    s.keepAlive.map((k) => [
      { provider: k.provider, template: k.template },
      k.lastSuccessAt ? Math.floor((now - Date.parse(k.lastSuccessAt)) / 1000) : -1,
    ]),
  );
  const ran = hooks.filter((h) => h.last);
  metric(
    'keytalk_agent_hook_last_success',
    '1 when the certificate hook last ran successfully, 0 when it failed or was killed.',
    ran.map((h) => [
      { provider: h.provider, service: h.service, sha256: h.sha256 },
      h.last!.exitCode === 0 && !h.last!.timedOut ? 1 : 0,
    ]),
  );
  metric(
    'keytalk_agent_hook_last_run_timestamp_seconds',
    'When the certificate hook last ran (Unix time).',
    ran.map((h) => [{ provider: h.provider, service: h.service, sha256: h.sha256 }, seconds(h.last!.at)]),
  );
  return `${out.join('\n')}\n`;
}
