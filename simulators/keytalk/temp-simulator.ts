import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FixtureInput } from './fixture';
import { startKeytalkSimulator, type KeytalkSimulator } from './server';

export interface TempSimulator {
  sim: KeytalkSimulator;
  /** The temporary folder: `sim/` holds the simulator's state; the rest is the caller's (an agent home, files). */
  dir: string;
  /** Stop the simulator and remove the folder with everything in it. */
  stop(): Promise<void>;
}

/**
 * For tests: a simulator on random ports whose state lives in a fresh temporary folder named `prefix…`, the
 * folder shared with whatever the test keeps beside it, and one stop() that leaves nothing behind.
 */
export async function startTempSimulator(prefix: string, fixture: FixtureInput | string): Promise<TempSimulator> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let sim: KeytalkSimulator;
  try {
    sim = await startKeytalkSimulator({ stateDir: path.join(dir, 'sim'), fixture });
  } catch (err) {
    remove();
    throw err;
  }
  return {
    sim,
    dir,
    async stop() {
      await sim.stop();
      remove();
    },
  };
}
