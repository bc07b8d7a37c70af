import { enrollments } from '../engine/state';
import { UsageError } from './args';

/**
 * The certificate `hooks set|clear` means: a SHA-256 (any case, colons allowed), or `--service S` for that
 * service's newest certificate (what an operator thinks of: "the web server's certificate").
 */
export async function hookTarget(
  home: string,
  sha: string | undefined,
  service: string | undefined,
): Promise<{ sha256: string; provider: string; service: string }> {
  const records = await enrollments.list(home);
  if (!sha === !service) throw new UsageError('name the certificate by its SHA-256 or by --service S (one of the two)');
  if (sha) {
    const fp = sha.replace(/:/g, '').toUpperCase();
    const r = records.find((x) => x.sha256Fingerprint.toUpperCase() === fp);
    if (!r)
      throw new UsageError(
        `no certificate enrolled by this agent has SHA-256 ${fp}; see keytalk-agent status (or certs) for the managed ones`,
      );
    return { sha256: fp, provider: r.provider, service: r.service };
  }
  const mine = records.filter((r) => r.service === service).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  if (!mine[0]) {
    const services = [...new Set(records.map((r) => r.service))];
    throw new UsageError(
      `no certificate of service "${service}" is enrolled here; services with certificates: ${services.join(', ') || 'none'}`,
    );
  }
  return { sha256: mine[0].sha256Fingerprint.toUpperCase(), provider: mine[0].provider, service: mine[0].service };
}
