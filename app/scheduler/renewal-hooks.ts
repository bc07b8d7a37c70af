import type { Logger } from '../log/logger';
import type { HookRun } from '../hooks/hooks-file';
import type { CodedText } from '../model/core-text';
import { trackHook } from '../hooks/pending';
import type { RenewalJobData } from './renewal-job';
import type { RenewalNotifier } from './renewer';

/** Where a failing hook is told (the host's notifier); the renewal stands. */
export interface HookFailureSink {
  /** A certificate's pre- or post-hook around a renewal failed; the renewal stands. */
  hookFailed?(n: { provider: string; service: string; sha256Fingerprint: string; message: string; text?: CodedText }): void;
}

/**
 * The one place that decides when a certificate's hooks run around an unattended renewal, for every host of the
 * scheduler (daemon, `renew`, the desktop app's core): the pre-hook just before the renewal's certificate request,
 * the post-hook after the `renewed` notice. A failing hook is told to the host through `notifier.hookFailed`
 * (a log line in the daemon, a notice in the UI) and never undoes or stops the renewal. The hook modules load
 * only when a renewal happens.
 */
export function renewalHooks<N extends RenewalNotifier & HookFailureSink>(home: string, log: Logger, notifier: N) {
  const reportFailure = (run: HookRun | undefined, describe: string, n: Base) => {
    if (run && (run.exitCode !== 0 || run.timedOut)) notifier.hookFailed?.({ ...n, message: describe, text: hookProblem(run) });
  };
  return {
    /** Before the renewal's request; awaited, so the operator's script finishes (or times out) first. */
    async before(data: RenewalJobData): Promise<void> {
      const m = await import('../hooks/after-renewal');
      const { describeHookRun } = await import('../hooks/run-hook');
      const cert = { sha256: data.sha256Fingerprint, provider: data.provider, service: data.service };
      const run = await trackHook(m.beforeRenewal(home, cert, log));
      if (run)
        reportFailure(run, describeHookRun(run), {
          provider: data.provider,
          service: data.service,
          sha256Fingerprint: cert.sha256,
        });
    },
    /** The host's notifier, whose `renewed` also starts the post-hook (not awaited: the scheduler goes on). */
    notifier: {
      ...notifier,
      renewed: (n) => {
        notifier.renewed(n);
        const cert = { sha256: n.newSha256Fingerprint, provider: n.provider, service: n.service };
        void trackHook(
          Promise.all([import('../hooks/after-renewal'), import('../hooks/run-hook')]).then(async ([m, r]) => {
            const run = await m.afterRenewal(home, cert, log);
            if (run)
              reportFailure(run, r.describeHookRun(run), {
                provider: n.provider,
                service: n.service,
                sha256Fingerprint: cert.sha256,
              });
          }),
        );
      },
    } as N,
  };
}

interface Base {
  provider: string;
  service: string;
  sha256Fingerprint: string;
}

/** What went wrong with the hook, coded for the UI's languages (the English `describeHookRun` stays the log's). */
function hookProblem(run: HookRun): CodedText {
  return run.timedOut
    ? { code: 'renewal.hook-timeout', params: { seconds: Math.round(run.durationMs / 1000) } }
    : { code: 'renewal.hook-failed', params: { status: String(run.exitCode ?? run.signal ?? '?') } };
}
