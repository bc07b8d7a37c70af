#!/usr/bin/env node
// `npm run demo`: the main job end to end on one machine. Builds the agent if needed, starts the bundled
// KeyTalk simulator (real HTTPS, real CA), imports the RCCD it generated, enrolls a certificate with the
// keytalk-agent CLI, lists it, then serves the tray UI in the browser host against the same home until Ctrl-C.
//   npm run demo -- --once      stop after the enrollment (used by the smoke test)
//   npm run demo -- --fresh     forget the previous demo state first
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { demoUsers, formatDemoUsers } from './demo-users.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const demoDir = path.resolve(process.env.KEYTALK_DEMO_DIR ?? path.join(root, '.demo'));
const simState = path.join(demoDir, 'simulator');
const home = path.join(demoDir, 'agent-home');
// The demo's own user home: its NSS database (~/.pki/nssdb) and Firefox profiles are the demo's, so the demo never
// puts certificates into the browsers of the person trying it.
const userHome = path.join(demoDir, 'user-home');
const children = [];
const fixture = 'simulators/keytalk/fixtures/demo.yaml';

function step(text) {
  console.log(`\n▶ ${text}`);
}

const env = { ...process.env, HOME: userHome };

function run(cmd, argv, opts = {}) {
  const res = spawnSync(cmd, argv, { cwd: root, stdio: ['pipe', 'inherit', 'inherit'], encoding: 'utf8', env, ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed with exit code ${res.status}`);
  return res;
}

/** Start a long-running child and resolve with the first stdout line that satisfies `ready`. */
function startChild(cmd, argv, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
    children.push(child);
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${cmd} did not become ready in 60 s`)), 60_000);
    lines.on('line', (line) => {
      const value = ready(line);
      if (value !== undefined) {
        clearTimeout(timer);
        resolve({ child, value });
      } else if (line.trim()) console.log(`  ${line}`);
    });
    child.on('exit', (code) => reject(new Error(`${cmd} exited with code ${code} before it was ready`)));
  });
}

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
process.on('SIGINT', () => {
  stopAll();
  process.exit(0);
});

async function main() {
  if (args.has('--fresh')) rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(userHome, { recursive: true });
  if (!existsSync(path.join(root, 'dist', 'cli', 'keytalk-agent.mjs')) || !existsSync(path.join(root, 'dist', 'renderer'))) {
    step('Building the agent (npm run build)');
    run('npm', ['run', 'build'], { stdio: 'inherit', env: process.env });
  }

  step('Starting the bundled KeyTalk simulator (simulators/keytalk/fixtures/demo.yaml)');
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const { value: sim } = await startChild(
    tsx,
    ['simulators/keytalk/main.ts', '--fixture', fixture, '--state', simState, '--port', '0'],
    (line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed.url ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
  );
  console.log(`  server ${sim.url}, OTP/mail outbox ${sim.outbox}`);

  const cli = (argv, input) =>
    run(process.execPath, [path.join(root, 'bin', 'keytalk-agent.mjs'), ...argv, '--home', home], { input });
  const rccd = Object.values(sim.rccds)[0];
  step(`Importing the provider configuration ${path.basename(rccd)}`);
  cli(['rccd', 'import', rccd, '--force']);

  // The S/MIME service: its certificate is what Invite (Self-Service) checks the user by, and it brings the shared
  // mailbox's certificate and the e-mail disclaimer along, so every page has something to show.
  step('Enrolling a certificate: keytalk-agent enroll --provider Demo --service SMIME --user DemoUser --password-stdin');
  cli(['enroll', '--provider', 'Demo', '--service', 'SMIME', '--user', 'DemoUser', '--password-stdin', '--json'], 'secret\n');

  step('Certificates in the agent stores');
  cli(['certs']);

  if (args.has('--once')) {
    stopAll();
    return;
  }
  step('Serving the tray UI in a browser (Ctrl-C to stop)');
  const { value: url } = await startChild(
    process.execPath,
    // The simulator's Self-Service API is not on port 3000 of its host: without this, Invite cannot reach it.
    [
      path.join(root, 'dist', 'browser-host', 'index.mjs'),
      '--home',
      home,
      ...(sim.ssapiUrl ? ['--ssapi-url', sim.ssapiUrl] : []),
    ],
    (line) => (line.startsWith('KeyTalk Agent UI: ') ? line.slice('KeyTalk Agent UI: '.length) : undefined),
  );
  console.log(`  open ${url}`);
  console.log(`  sign in as (provider Demo):`);
  for (const line of formatDemoUsers(demoUsers(path.join(root, fixture)))) console.log(line);
  console.log(
    `  try: Enroll → Demo → OTP (one-time passwords land in ${sim.outbox}); Invite uses ${sim.ssapiUrl ?? 'no Self-Service API'}`,
  );
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  stopAll();
  process.exit(1);
});
