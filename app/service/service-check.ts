import type { DoctorCheck } from '../ipc/doctor-contract';
import { processRunner } from '../system/command-runner';
import { serviceStatus, type ServiceEnv } from './service-manager';

/**
 * The doctor's `daemon` line: the user's service, else the machine's. Not installed is not a failure (the tray app
 * renews while it runs); installed but not running is, since certificates then silently stop renewing.
 */
export async function serviceDoctorCheck(env: Partial<ServiceEnv> = {}): Promise<DoctorCheck> {
  const e: ServiceEnv = { platform: process.platform, runner: processRunner, ...env };
  const line = (status: DoctorCheck['status'], summary: string): DoctorCheck => ({
    id: 'daemon',
    scope: 'local',
    status,
    summary,
  });
  try {
    const user = await serviceStatus(false, e);
    const s = user.installed ? user : await serviceStatus(true, e);
    if (!s.installed)
      return line('skip', 'no background service installed; certificates renew while the tray app or a daemon runs');
    const what = `${s.manager} ${s.scope} service (${s.file})`;
    return s.running
      ? line('pass', `${what} is running: ${s.detail}`)
      : line('fail', `${what} is installed but not running: ${s.detail}; start it, and read its log for why it stopped`);
  } catch (err) {
    return line('skip', `the background service could not be checked: ${(err as Error).message}`);
  }
}
