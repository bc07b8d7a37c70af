import type { EngineDeps } from '../engine/enroll';
import { withText } from '../model/core-text';
import { MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import type { Logger } from '../log/logger';
import type { RenewalJobData } from './renewal-job';

/**
 * The engine's flow, unattended: remembered credentials, HWSIG, seat, cached MFA; never a prompt. A prompt the
 * flow cannot answer alone throws MissingInputError, which the renewer turns into the unattended-renewal popup.
 * The engine itself loads only here, on the first renewal, so an idle daemon does not carry it (issue 7).
 */
export async function runSilentRenewal(
  job: RenewalJobData,
  signal: AbortSignal,
  o: { home: string; engine: EngineDeps; log: Logger },
) {
  const silent: FlowFrontEnd = {
    prompt: async (p) => {
      throw withText(
        new MissingInputError([p.kind], `unattended renewal needs ${p.kind} from the user`),
        'renewal.needs-sign-in',
      );
    },
    progress: (p) => o.log.debug('renewal progress', { provider: job.provider, service: job.service, ...p }),
  };
  let previousCertPem: string | undefined;
  let keyPem: string | undefined;
  for (const st of await o.engine.stores()) {
    const reader = (st as { read?: (fp: string) => Promise<{ certPem: string; keyPem?: string }> }).read;
    if (!reader) continue;
    try {
      const b = await reader.call(st, job.sha256Fingerprint);
      previousCertPem = b.certPem;
      keyPem = b.keyPem;
      break;
    } catch {
      // not in this store
    }
  }
  const record = await enrollments.get(o.home, job.sha256Fingerprint);
  const { runEnrollment } = await import('../engine/enroll');
  return runEnrollment(
    {
      provider: job.provider,
      service: job.service,
      unattended: true,
      format: record?.format,
      csr: record?.csr,
      storeIds: job.stores,
      previousCertPem,
      replaces: job.sha256Fingerprint,
      seat: seatIdentity(job, record, previousCertPem, keyPem),
    },
    silent,
    o.engine,
    signal,
  );
}

/** The seat to authenticate as on renewal: the recorded seat's user, with the certificate being renewed and its key. */
function seatIdentity(job: RenewalJobData, record: EnrollmentRecord | undefined, certPem?: string, keyPem?: string) {
  const userId = record?.seat?.userId ?? job.userId;
  return job.seat && userId && certPem && keyPem ? { userId, certPem, keyPem } : undefined;
}
