import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAgent } from '../app/agent/index';
import { startBrowserHost } from './host';

/**
 * `npm run ui [-- --home DIR] [--port N]`: the renderer in any browser, without Electron. Prints the URL
 * (with this run's token) on the first line of stdout so scripts and the e2e setup can read it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      home: { type: 'string' },
      port: { type: 'string', default: '0' },
      renderer: { type: 'string' },
      // Tests: how widely new periodic jobs (messages, disclaimers, keep-alive) are spread after an enrollment.
      'scheduler-jitter-ms': { type: 'string' },
      // Self-Service API address when it is not on port 3000 of the provider's host (tests: the simulator's).
      'ssapi-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run ui -- [--home DIR] [--port N] [--renderer DIR] [--ssapi-url URL]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: expected 0..65535`);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(values.renderer ?? path.join(here, '..', 'renderer'));
  const jitter = values['scheduler-jitter-ms'] === undefined ? undefined : Number(values['scheduler-jitter-ms']);
  if (jitter !== undefined && !(Number.isInteger(jitter) && jitter >= 0))
    throw new Error(`--scheduler-jitter-ms ${values['scheduler-jitter-ms']}: expected a whole number of milliseconds`);
  const core = createAgent({
    ...(values.home ? { home: values.home } : {}),
    ...(jitter !== undefined ? { schedulerStartupJitterMs: jitter } : {}),
    ...(values['ssapi-url'] ? { ssapiUrl: values['ssapi-url'] } : {}),
  });
  await core.start();
  const host = await startBrowserHost({ core, rendererDir, port });
  console.log(`KeyTalk Agent UI: ${host.url}`);
  console.log(`home: ${core.home}`);
  const shutdown = async () => {
    await host.close();
    await core.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`keytalk-agent ui: ${(err as Error).message}`);
  process.exit(1);
});
