import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHostProcess } from './host-process';

/**
 * One browser host for the run, on a fresh temporary home, so every spec sees state that really came
 * from a core (the settings file, the home path) and nothing from the developer's own agent.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-home-'));
  const host = await startHostProcess(home);
  process.env.KT_E2E_URL = host.url;
  process.env.KT_E2E_ORIGIN = host.origin;
  process.env.KT_E2E_TOKEN = host.token;
  process.env.KT_E2E_HOME = home;
  return async () => {
    await host.stop();
    rmSync(home, { recursive: true, force: true });
  };
}
