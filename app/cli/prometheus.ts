import type { CertificateHook } from '../hooks/hooks-file';
import type { SchedulerStatus } from '../scheduler/scheduler-status';

/**
 * `status --prometheus FILE`: the node_exporter textfile-collector format (one `# HELP`/`# TYPE` per metric, then
 * its samples), so expiry, last renewal, renewal due time, the last attempt's result, failures in a row, keep-alive
 * age and hook results can be alerted on
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
    'keytalk_agent_certificate_issued_timestamp_seconds',
    'When the current certificate was issued: the last successful enrollment or renewal (Unix time).',
    s.certificates.filter((c) => c.notBefore).map((c) => [certLabels(c), seconds(c.notBefore!)]),
  );
  // Only certificates the agent has tried to renew: a certificate that is not due yet has no last attempt.
  const tried = s.certificates.filter((c) => c.lastAttemptAt);
  metric(
    'keytalk_agent_certificate_renewal_last_attempt_timestamp_seconds',
    'When the agent last tried to renew the certificate (Unix time).',
    tried.map((c) => [certLabels(c), seconds(c.lastAttemptAt!)]),
  );
  metric(
    'keytalk_agent_certificate_renewal_last_attempt_success',
    '0 when the last renewal attempt failed (the certificate is still the old one); 1 when it did not fail.',
    tried.map((c) => [certLabels(c), c.lastError ? 0 : 1]),
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
