import { parseArgs } from 'node:util';
import { startOnlineCaSimulator } from './index';

/**
 * `npm run sim:onlineca -- --fixture F --state DIR [--port N]`
 * Prints exactly one JSON line on stdout when ready (what scripts and e2e tests wait for); logs go to stderr.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fixture: { type: 'string' }, state: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (!values.fixture || !values.state) {
    throw new Error('usage: sim:onlineca -- --fixture FIXTURE.yaml --state STATE_DIR [--port N]');
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port ${values.port} is not a port number (0-65535)`);
  }
  const sim = await startOnlineCaSimulator({ fixture: values.fixture, stateDir: values.state, port });
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      kind: 'onlineca',
      url: sim.url,
      trustRootsUrl: sim.trustRootsUrl,
      certificateUrl: sim.certificateUrl,
      control: sim.control,
      caFingerprints: sim.caFingerprints,
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
