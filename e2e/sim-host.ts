import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKeytalkSimulator, type FixtureInput, type KeytalkSimulator } from '../simulators/keytalk/index';
import { startHostProcess, type RunningHost } from './host-process';

/** Extra arguments and environment for the browser host (e.g. a shorter scheduler jitter, a throw-away HOME). */
export interface HostOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A KeyTalk simulator and a browser host on its own agent home, both in one temporary folder. */
export interface SimHost {
  sim: KeytalkSimulator;
  host: RunningHost;
  /** The temporary folder: `sim/` holds the simulator state, `home/` the agent home; free for spec files. */
  dir: string;
  /** Stop the host, then the simulator, and remove the folder. */
  stop(): Promise<void>;
}

/**
 * For a spec that enrolls against the simulator: its own simulator, agent home and browser host, so the
 * shared host of global-setup.ts stays at a fresh home. `name` marks the temporary folder (kt-e2e-NAME-…).
 * `host` may be a function of the folder and the started simulator, for a spec that writes files the host must
 * see at start or points the host at one of the simulator's addresses.
 *
 *     let kt: SimHost;
 *     test.beforeAll(async () => (kt = await startSimHost('certs', fixture)));
 *     test.afterAll(async () => kt?.stop());
 */
export async function startSimHost(
  name: string,
  fixture: FixtureInput | string,
  host: HostOptions | ((dir: string, sim: KeytalkSimulator) => HostOptions) = {},
): Promise<SimHost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `kt-e2e-${name}-`));
  let sim: KeytalkSimulator | undefined;
  try {
    sim = await startKeytalkSimulator({ stateDir: path.join(dir, 'sim'), fixture });
    const running = await startHostProcess(path.join(dir, 'home'), typeof host === 'function' ? host(dir, sim) : host);
    const started = sim;
    return {
      sim: started,
      host: running,
      dir,
      async stop() {
        await running.stop();
        await started.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    // A failed start must not leave a simulator listening or a folder behind.
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
