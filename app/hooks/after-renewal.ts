import { enrollments } from '../engine/state';
import type { Logger } from '../log/logger';
import { runCertificateHook, type HookCertificate } from './run-hook';
import type { HookRun } from './hooks-file';

/**
 * After a renewal: the renewed certificate's record names the one it replaced, whose hook moves to it and runs.
 * Never throws into the scheduler: a hook is the operator's script, its failure is recorded, not the renewal's.
 * Returns the run (undefined: no post-hook, or the hook could not even be started/recorded).
 */
export async function afterRenewal(home: string, cert: HookCertificate, log: Logger): Promise<HookRun | undefined> {
  try {
    const record = (await enrollments.list(home)).find((r) => r.sha256Fingerprint.toUpperCase() === cert.sha256.toUpperCase());
    return await runCertificateHook(home, cert, 'post', 'renewal', { log, replaces: record?.replaces });
  } catch (err) {
    log.error('hook-failed', { sha256: cert.sha256, message: (err as Error).message });
    return undefined;
  }
}

/**
 * Before a renewal's certificate request: the current certificate's pre-hook (certmonger -B), with the files the
 * renewal is about to replace in its environment. Its failure is recorded and logged but never stops the renewal
 * (the operator's script must not be able to let a certificate expire).
 */
export async function beforeRenewal(home: string, cert: HookCertificate, log: Logger): Promise<HookRun | undefined> {
  try {
    return await runCertificateHook(home, cert, 'pre', 'renewal', { log });
  } catch (err) {
    log.error('hook-failed', { sha256: cert.sha256, message: (err as Error).message });
    return undefined;
  }
}
