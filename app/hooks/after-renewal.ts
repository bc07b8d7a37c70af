import { enrollments } from '../engine/state';
import type { Logger } from '../log/logger';
import { runCertificateHook, type HookCertificate } from './run-hook';

/**
 * After a renewal: the renewed certificate's record names the one it replaced, whose hook moves to it and runs.
 * Never throws into the scheduler: a hook is the operator's script, its failure is recorded, not the renewal's.
 */
export async function afterRenewal(home: string, cert: HookCertificate, log: Logger): Promise<void> {
  try {
    const record = (await enrollments.list(home)).find((r) => r.sha256Fingerprint.toUpperCase() === cert.sha256.toUpperCase());
    await runCertificateHook(home, cert, 'post', 'renewal', { log, replaces: record?.replaces });
  } catch (err) {
    log.error('hook-failed', { sha256: cert.sha256, message: (err as Error).message });
  }
}
