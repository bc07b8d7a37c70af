import type { EngineDeps } from '../engine/enroll';
import type { RequestHandlers } from '../ipc/dispatcher';

type ScannerChannels = 'scanner:report' | 'scanner:settings-set' | 'scanner:scan-now';

/**
 * The certificate-scan channels of the core. The scanner module loads on first use (it is not needed to start).
 * A scan from the UI goes through the same silent session as `keytalk-agent scan` (remembered credentials, never
 * a prompt); only one runs at a time, and stop() waits for it through `track`.
 */
export function scannerHandlers(
  deps: EngineDeps,
  opts: { track: <T>(p: Promise<T>) => Promise<T>; userHome?: string },
): Pick<RequestHandlers, ScannerChannels> {
  const scanner = () => import('../scanner/index');
  let running: Promise<unknown> | undefined;
  return {
    'scanner:report': async () => (await scanner()).scannerOverview(deps.home),
    'scanner:settings-set': async (patch) => (await scanner()).updateScannerSettings(deps.home, patch),
    'scanner:scan-now': async ({ dryRun, provider, service }) => {
      if (running) throw new Error('a certificate scan is already running; wait for it to finish, then try again');
      const m = await scanner();
      const run = opts.track(
        m.scanWithSilentSession(deps, { provider, service, trigger: 'manual', dryRun, userHome: opts.userHome }),
      );
      running = run;
      try {
        const report = await run;
        const certificates = report.items.map((i) => ({
          subject: i.subject,
          sha256: i.sha256,
          purposes: i.purposes,
          outcome: i.outcome,
          withKey: i.withKey,
        }));
        return {
          summary: m.summarizeScan(report, new Date().toISOString()),
          warnings: report.warnings,
          certificates: certificates.slice(0, 200),
          more: Math.max(0, certificates.length - 200),
        };
      } finally {
        running = undefined;
      }
    },
  };
}
