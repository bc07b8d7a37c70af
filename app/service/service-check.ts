import type { DoctorCheck } from '../ipc/doctor-contract';
import { coreText, type CoreTextCode, type CoreTextValue } from '../model/core-text';
import { processRunner } from '../system/command-runner';
import { serviceStatus, type ServiceEnv } from './service-manager';

/**
 * The doctor's `daemon` line: the user's service, else the machine's. Not installed is not a failure (the tray app
 * renews while it runs); installed but not running is, since certificates then silently stop renewing.
 */
export async function serviceDoctorCheck(env: Partial<ServiceEnv> = {}): Promise<DoctorCheck> {
  const e: ServiceEnv = { platform: process.platform, runner: processRunner, ...env };
  // app/service must not import app/doctor (the doctor imports the service check), so the coded twin is built here.
  const line = (
    status: DoctorCheck['status'],
    code: CoreTextCode,
    summary: string,
    params?: Record<string, CoreTextValue>,
  ): DoctorCheck => ({ id: 'daemon', scope: 'local', status, summary, summaryText: coreText(code, summary, params) });
  try {
    const user = await serviceStatus(false, e);
    const s = user.installed ? user : await serviceStatus(true, e);
    if (!s.installed)
      return line(
        'skip',
        'doctor.service-none',
        'no background service installed; certificates renew while the tray app or a daemon runs',
      );
    const what = `${s.manager} ${s.scope} service (${s.file})`;
    const values = { manager: s.manager, file: s.file, detail: s.detail };
    return s.running
      ? line('pass', 'doctor.service-running', `${what} is running: ${s.detail}`, values)
      : line(
          'fail',
          'doctor.service-stopped',
          `${what} is installed but not running: ${s.detail}; start it, and read its log for why it stopped`,
          values,
        );
  } catch (err) {
    const problem = (err as Error).message;
    return line('skip', 'doctor.service-unknown', `the background service could not be checked: ${problem}`, { problem });
  }
}
