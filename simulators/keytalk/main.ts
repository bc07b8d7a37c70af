/**
 * `npm run sim -- --fixture FILE --state DIR [--port N] [--control-port N]`: starts the simulator and prints exactly
 * one JSON line on stdout when it is ready (url, rccds, outbox, control, …). Everything else goes to stderr.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKeytalkSimulator } from './server';

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run sim -- [--fixture FILE] [--state DIR] [--port N] [--control-port N]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opt: Record<string, string> = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--') continue;
  const m = /^--(fixture|state|port|control-port)(?:=(.*))?$/.exec(a);
  if (!m) usage(`unknown argument "${a}"`);
  const v = m[2] ?? args[++i];
  if (v === undefined) usage(`${a} needs a value`);
  opt[m[1]!] = v;
}
const here = path.dirname(fileURLToPath(import.meta.url));
const port = (name: string) => {
  if (opt[name] === undefined) return undefined;
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`--${name} must be a port number (0 = random)`);
  return n;
};

try {
  const sim = await startKeytalkSimulator({
    fixture: opt.fixture ?? path.join(here, 'fixtures', 'demo.yaml'),
    stateDir: opt.state ?? path.join(os.tmpdir(), 'keytalk-sim-state'),
    ...(port('port') !== undefined ? { port: port('port')! } : {}),
    ...(port('control-port') !== undefined ? { controlPort: port('control-port')! } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ url: sim.url, httpUrl: sim.httpUrl, ssapiUrl: sim.ssapiUrl, rccds: sim.rccds, outbox: sim.outbox, control: sim.control, caFile: sim.caFile, requestLog: sim.requestLog })}\n`,
  );
  const shutdown = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (e) {
  process.stderr.write(`keytalk simulator failed to start: ${(e as Error).message}\n`);
  process.exit(1);
}
