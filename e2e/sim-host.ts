import path from 'node:path';
import type { FixtureInput, KeytalkSimulator } from '../simulators/keytalk/index';
import { startTempSimulator } from '../simulators/keytalk/temp-simulator';
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
 * worker's shared host (e2e/fixtures.ts) stays at a fresh home. `name` marks the temporary folder (kt-e2e-NAME-…).
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
  const simulator = await startTempSimulator(`kt-e2e-${name}-`, fixture);
  const { sim, dir } = simulator;
  try {
    const running = await startHostProcess(path.join(dir, 'home'), typeof host === 'function' ? host(dir, sim) : host);
    return {
      sim,
      host: running,
      dir,
      async stop() {
        await running.stop();
        await simulator.stop();
      },
    };
  } catch (err) {
    // A failed start must not leave a simulator listening or a folder behind.
    await simulator.stop();
    throw err;
  }
}
