import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { checkHome } from '../../test-support/crash/home-check';
import { enrollRememberedShort, startShortLivedDemo } from '../../test-support/scheduler/short-lived-demo';
import { EXIT } from '../cli/exit-codes';
import { homeLayout } from '../config/home';

// Issue 22: "SIGTERM stops the daemon within seconds in every phase". A real `keytalk-agent daemon` process
// against a simulator made to hang (a `latency` fault far longer than any deadline), killed with SIGTERM
// (a) while its start-up sync waits for cert-expiration-margin and (b) while a renewal waits for its certificate.
// The bound is a hang guard, not a performance target: before the fix (a) waited the full 15 s margin deadline.
const HANG_GUARD_MS = 10_000;
const HANG = { kind: 'latency', ms: 600_000 };

let kt: TempSimulator;
let enrolled: string;
let oldFp: string;
let n = 0;

beforeAll(async () => {
  // Two-minute certificates with a margin of 119 s: due one second after issue, so the daemon renews at once.
  kt = await startShortLivedDemo('kt-sigterm-', { lifetime: '2m', margin: 119 });
  enrolled = path.join(kt.dir, 'enrolled');
  oldFp = await enrollRememberedShort(kt, enrolled);
}, 60_000);
afterAll(async () => {
  await kt?.stop();
});

/** A copy of the enrolled home without its schedule, so the daemon's sync schedules the (due) renewal afresh. */
function copyHome(): string {
  const to = path.join(kt.dir, `home-${n++}`);
  cpSync(enrolled, to, { recursive: true });
  rmSync(path.join(homeLayout(to).state, 'schedule.json'), { force: true });
  return to;
}

/** Hits of the simulator's active faults (counted when a request arrives, before the hang). */
async function faultHits(): Promise<number> {
  const faults = (await (await fetch(`${kt.sim.control}/faults`)).json()) as { hits: number }[];
  return faults.reduce((a, f) => a + f.hits, 0);
}

async function withFault<T>(fault: { route: string }, body: () => Promise<T>): Promise<T> {
  await fetch(`${kt.sim.control}/faults`, { method: 'POST', body: JSON.stringify({ ...HANG, ...fault }) });
  try {
    return await body();
  } finally {
    for (const f of (await (await fetch(`${kt.sim.control}/faults`)).json()) as { id: number }[])
      await fetch(`${kt.sim.control}/faults/${f.id}`, { method: 'DELETE' });
  }
}

/** Start the daemon, wait until the hung request reached the simulator, SIGTERM it, and report how it ended. */
async function sigtermWhileHung(home: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'daemon', '--home', home], {
    // The user's stores (~/.pki/nssdb) where runCliCaptured puts them for this home, never the real ones.
    env: { ...process.env, HOME: `${home}.user` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  for (let i = 0; i < 300 && (await faultHits()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await faultHits(), `the daemon never reached the hung request: ${out}${err}`).toBeGreaterThan(0);
  child.kill('SIGTERM');
  const guard = new Promise<'hung'>((r) => setTimeout(() => r('hung'), HANG_GUARD_MS).unref());
  const code = await Promise.race([exited, guard]);
  if (code === 'hung') child.kill('SIGKILL');
  const msgs = out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { code, msgs, err };
}

function scheduleOf(home: string) {
  return JSON.parse(readFileSync(path.join(homeLayout(home).state, 'schedule.json'), 'utf8')) as {
    jobs: { id: string; runningSince?: number }[];
  };
}

describe('daemon: SIGTERM in every phase', () => {
  it('(a) during the start-up sync, while cert-expiration-margin hangs: exits 0 at once, home consistent', async () => {
    const home = copyHome();
    const r = await withFault({ route: 'cert-expiration-margin' }, () => sigtermWhileHung(home));
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.msgs).not.toContain('daemon-ready');
    expect(r.msgs.at(-1)).toBe('daemon-stopped');
    expect(checkHome(home).problems).toEqual([]);
    expect(checkHome(home).stored).toEqual([oldFp]);
  }, 40_000);

  it('(b) mid-renewal, while the certificate request hangs: the request is aborted, the old certificate kept, the renewal due again', async () => {
    const home = copyHome();
    const r = await withFault({ route: '/\\/cert$/' }, () => sigtermWhileHung(home));
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.msgs).toContain('daemon-ready');
    expect(r.msgs.at(-1)).toBe('daemon-stopped');
    const after = checkHome(home);
    expect(after.problems).toEqual([]);
    expect(after.stored).toEqual([oldFp]);
    // Nothing half-done is left marked as running; the renewal is still scheduled and runs at the next start.
    const renewal = scheduleOf(home).jobs.find((j) => j.id === `renewal:${oldFp}`);
    expect(renewal).toBeDefined();
    expect(renewal!.runningSince).toBeUndefined();
  }, 40_000);
});
