import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { checkHome } from '../../test-support/crash/home-check';
import { enrollRememberedShort, startShortLivedDemo } from '../../test-support/scheduler/short-lived-demo';
import { homeLayout } from '../config/home';
import type { EnrollmentRecord } from '../engine/state';
import { EXIT } from './exit-codes';

// Issue 22, one home shared by several processes: a real `keytalk-agent daemon` and CLI processes on one home against
// the simulator, renewing and enrolling at once. The simulator's latency faults make the interleaving that lost data
// before the home lock (app/system/home-lock.ts) happen every time: the daemon is held in its start-up sync (a slow
// margin answer) with the schedule it read in memory while the CLIs enroll and renew, and the first renewal's
// certificate request is slow so the second renewer of the same certificate arrives while it runs. The assertions are
// about the end state only, never about timing.
let kt: TempSimulator;
let home: string;
let oldFp: string;

const ENROLL = ['enroll', '--provider', 'Demo', '--user', 'DemoUser', '--json'];
const cli = (args: string[]) => runCliCaptured(args, { home, env: { KEYTALK_PASSWORD: 'secret' } });

function proc(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', ...args], {
    // HOME: the user's stores (~/.pki/nssdb) where runCliCaptured puts them for this home, never the real ones.
    env: { ...process.env, HOME: `${home}.user`, KEYTALK_AGENT_HOME: home, KEYTALK_PASSWORD: 'secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited, out: () => stdout };
}

async function fault(body: object) {
  const res = await fetch(`${kt.sim.control}/faults`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(201);
}

/** Until the simulator has taken every limited fault (the request that hit it is being delayed now). */
async function faultsTaken() {
  for (;;) {
    const left = (await (await fetch(`${kt.sim.control}/faults`)).json()) as unknown[];
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  kt = await startShortLivedDemo('kt-shared-home-', {
    lifetime: '1h',
    margin: 600,
    moreServices: [{ name: 'LONG', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '1d', certExpirationMargin: 600 } }],
  });
  home = path.join(kt.dir, 'home');
  oldFp = (await enrollRememberedShort(kt, home)).toUpperCase();
}, 60_000);
afterAll(async () => {
  await kt?.stop();
});

describe('one home, a daemon and CLIs at once', () => {
  it('loses no schedule entry, renews one certificate once, and every enrollment is in status', async () => {
    // The daemon's start-up margin question waits 5 s: it holds the schedule it read while the others work.
    await fault({ route: 'cert-expiration-margin', kind: 'latency', ms: 5000, times: 1 });
    const daemon = proc(['daemon']);
    await faultsTaken();
    // The first renewal's certificate request waits 2 s, so the second renewer comes while the first holds it.
    await fault({ route: '/rcdp\\/.*\\/cert$/', kind: 'latency', ms: 2000, times: 1 });
    const renewA = proc(['renew', '--force', '--service', 'SHORT']);
    const renewB = proc(['renew', '--force', '--service', 'SHORT']);
    const enrolled = await cli([...ENROLL, '--service', 'LONG']);
    expect(enrolled.code, enrolled.stderr).toBe(EXIT.ok);
    const newFp = (JSON.parse(enrolled.stdout) as { sha256Fingerprint: string }).sha256Fingerprint.toUpperCase();
    const renews = await Promise.all([renewA.exited, renewB.exited]);
    for (const r of renews) expect(r.code, r.stderr + r.stdout).toBe(EXIT.ok);
    // One renewed, the other waited for it (said so once, naming the process) and found it already renewed.
    const outs = renews.map((r) => r.stdout).sort();
    expect(outs[0]).toMatch(/: renewed\n$/);
    expect(outs[1]).toMatch(/: renewed by another KeyTalk Agent process\n$/);
    const waited = renews.find((r) => r.stdout.includes('by another'))!;
    expect(
      waited.stderr.match(/waiting for another KeyTalk Agent process \(pid \d+, keytalk-agent renew\)/g),
      waited.stderr,
    ).toHaveLength(1);

    // The daemon gets its answer and writes its schedule after all that; then it is stopped.
    while (!daemon.out().includes('"daemon-ready"')) await new Promise((r) => setTimeout(r, 50));
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);

    const home_ = checkHome(home);
    expect(home_.problems).toEqual([]);
    const records = JSON.parse(readFileSync(path.join(homeLayout(home).state, 'enrollments.json'), 'utf8')) as Record<
      string,
      EnrollmentRecord
    >;
    // No duplicate: exactly one certificate replaced the old one, and it is the only SHORT certificate left.
    const successors = Object.values(records).filter((r) => r.replaces?.toUpperCase() === oldFp);
    expect(successors).toHaveLength(1);
    expect(home_.stored.sort()).toEqual([successors[0]!.sha256Fingerprint.toUpperCase(), newFp].sort());
    // No lost schedule entry: a renewal job for each stored certificate, none for the replaced one.
    const schedule = JSON.parse(readFileSync(path.join(homeLayout(home).state, 'schedule.json'), 'utf8')) as {
      jobs: { id: string }[];
    };
    const renewalJobs = schedule.jobs.map((j) => j.id).filter((id) => id.startsWith('renewal:'));
    expect(renewalJobs.sort()).toEqual(home_.stored.map((fp) => `renewal:${fp}`).sort());
    // Every enrollment is in `status --json`.
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { certificates: { sha256Fingerprint: string }[] };
    expect(status.certificates.map((c) => c.sha256Fingerprint.toUpperCase()).sort()).toEqual(
      Object.keys(records)
        .map((fp) => fp.toUpperCase())
        .sort(),
    );
  }, 90_000);
});
