import type { EngineDeps, EnrollRequest } from '../engine/enroll';
import { enrollments } from '../engine/state';
import type { Logger } from '../log/logger';
import { listCertificates, readBundle } from './certificate-inventory';

/**
 * What to enroll to renew a certificate. The agent's own enrollment record repeats the original request
 * (format, CSR mode, stores, user) and passes the old certificate along (the server reads retired-computer-name
 * from it); a certificate found only in a store is renewed from the provider and service it names, into the
 * stores that hold it. One that names no KeyTalk provider cannot be renewed here, and the error says so.
 */
export async function renewalRequest(deps: EngineDeps, log: Logger, sha256Fingerprint: string): Promise<EnrollRequest> {
  const fp = sha256Fingerprint.toUpperCase();
  const rec = await enrollments.get(deps.home, fp);
  if (rec) {
    return {
      provider: rec.provider,
      service: rec.service,
      format: rec.format,
      csr: rec.csr,
      storeIds: rec.stores,
      previousCertPem: (await readBundle(deps, fp))?.certPem,
      // Written into the new record before the stores (as the CLI's and the scheduler's renewals do), so a crash before
      // the switch-over is finished by the next sync instead of leaving both certificates (issue 22).
      replaces: fp,
      ...(rec.userId ? { credentials: { USERID: rec.userId } } : {}),
    };
  }
  const cert = (await listCertificates(deps, log)).find((c) => c.sha256Fingerprint === fp);
  if (!cert) throw new Error(`no certificate with fingerprint ${fp} in the configured stores`);
  if (!cert.provider || !cert.service)
    throw new Error(`certificate ${fp} was not enrolled from a KeyTalk provider; it cannot be renewed here`);
  return { provider: cert.provider, service: cert.service, storeIds: cert.stores, replaces: fp };
}
