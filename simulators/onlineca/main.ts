import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startOnlineCaSimulator } from './index';

/**
 * `npm run sim:onlineca -- [--fixture F] [--state DIR] [--port N] [--control-port N]`
 * (defaults: fixtures/demo.yaml, $TMPDIR/onlineca-sim-state, random ports)
 * Prints exactly one JSON line on stdout when ready (what scripts and e2e tests wait for); logs go to stderr.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      state: { type: 'string' },
      port: { type: 'string' },
      'control-port': { type: 'string' },
    },
    strict: true,
  });
  const portOf = (name: 'port' | 'control-port'): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} ${v} is not a port number (0 = random)`);
    return n;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sim = await startOnlineCaSimulator({
    fixture: values.fixture ?? path.join(here, 'fixtures', 'demo.yaml'),
    stateDir: values.state ?? path.join(os.tmpdir(), 'onlineca-sim-state'),
    port: portOf('port'),
    controlPort: portOf('control-port'),
  });
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      kind: 'onlineca',
      url: sim.url,
      trustRootsUrl: sim.trustRootsUrl,
      certificateUrl: sim.certificateUrl,
      control: sim.control,
      caFingerprints: sim.caFingerprints,
      caFile: sim.caFile,
      requestLog: sim.requestLog,
      pid: process.pid,
    })}\n`,
  );
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim:onlineca: ${(err as Error).message}\n`);
  process.exit(2);
});
