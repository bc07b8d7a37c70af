import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../../app/config/home';
import { certFactsFromPem } from '../../app/stores/cert-summary';

/**
 * The consistency rules for an agent home after a kill (issue 22), read straight from the files:
 * - every JSON file under state/ parses (no half-written file);
 * - every fingerprint folder under certs/ is complete: cert.pem with that fingerprint, and key.pem where a
 *   certificate.p12 is (no certificate without its key);
 * - every certificate with a key has its enrollment record (no orphan certificate);
 * - every renewal job in schedule.json names a certificate that is stored or recorded (no orphan schedule entry).
 * Returns the violations (empty when consistent) and the stored certificates' fingerprints.
 */
export function checkHome(home: string): { problems: string[]; stored: string[] } {
  const layout = homeLayout(home);
  const problems: string[] = [];
  const json = (f: string): unknown => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as unknown;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${f}: ${(err as Error).message}`);
      return undefined;
    }
  };
  for (const f of ls(layout.state).filter((n) => n.endsWith('.json'))) json(path.join(layout.state, f));
  const records = (json(path.join(layout.state, 'enrollments.json')) ?? {}) as Record<string, unknown>;
  const stored: string[] = [];
  for (const fp of ls(layout.certs).filter((n) => /^[0-9A-F]{64}$/.test(n))) {
    const dir = path.join(layout.certs, fp);
    const files = ls(dir);
    try {
      const facts = certFactsFromPem(readFileSync(path.join(dir, 'cert.pem'), 'utf8'));
      if (facts.sha256Fingerprint !== fp) problems.push(`${dir}: cert.pem is another certificate`);
    } catch (err) {
      problems.push(`${dir}: cert.pem unreadable (${(err as Error).message})`);
    }
    if (files.includes('certificate.p12') && !files.includes('key.pem')) problems.push(`${dir}: certificate without its key`);
    if (files.includes('key.pem') && !records[fp]) problems.push(`${fp}: stored with its key but no enrollment record`);
    stored.push(fp);
  }
  const schedule = json(path.join(layout.state, 'schedule.json')) as { jobs?: { id: string; kind: string }[] } | undefined;
  for (const j of schedule?.jobs ?? []) {
    const fp = j.kind === 'renewal' ? j.id.replace(/^renewal:/, '') : undefined;
    if (fp && !stored.includes(fp) && !records[fp]) problems.push(`schedule entry ${j.id} names no certificate`);
  }
  return { problems, stored };
}

function ls(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
