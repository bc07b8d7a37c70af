import { spawn } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { enrollRememberedShort, startShortLivedDemo } from '../../test-support/scheduler/short-lived-demo';
import { checkHome } from '../../test-support/crash/home-check';
import { homeLayout } from '../config/home';
import { EXIT } from './exit-codes';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';

// Issue 22, crash safety: the real CLI in a child process is SIGKILLed at each write point
// (KEYTALK_AGENT_CRASH_AT, app/system/crash-point.ts); then the home must be consistent (test-support/crash/
// home-check.ts), the old certificate intact during a renewal, and the next run must complete. One simulator, one
// RCCD, two prepared homes copied per kill point.
// A process killed while it holds one of the home's locks (app/system/home-lock.ts) leaves it to go stale; the next run
// takes it over after this long (20 s in real use), so each kill point costs seconds, not tens of them.
process.env.KEYTALK_AGENT_LOCK_STALE_MS = '2000';

let kt: TempSimulator;
let fresh: string; // RCCD imported, nothing enrolled
let enrolled: string; // one certificate, credentials remembered
let oldFp: string;
let n = 0;

const ENROLL = ['enroll', '--provider', 'Demo', '--service', 'SHORT', '--user', 'DemoUser', '--json'];

function copyHome(from: string): string {
  const to = path.join(kt.dir, `home-${n++}`);
  cpSync(from, to, { recursive: true });
  return to;
}

/** Run keytalk-agent in a child process that kills itself at `point`; resolves with how it ended. */
function killedAt(home: string, point: string, args: string[]): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', ...args], {
      // HOME: the user's stores (~/.pki/nssdb) where runCliCaptured puts them for this home, never the real ones.
      env: {
        ...process.env,
        HOME: `${home}.user`,
        KEYTALK_AGENT_HOME: home,
        KEYTALK_PASSWORD: 'secret',
        KEYTALK_AGENT_CRASH_AT: point,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, stderr }));
  });
}

const cli = (home: string, args: string[]) => runCliCaptured(args, { home, env: { KEYTALK_PASSWORD: 'secret' } });

async function certsOf(home: string) {
  return (
    JSON.parse((await cli(home, ['certs', '--json'])).stdout) as {
      certificates: { sha256Fingerprint: string; service?: string }[];
    }
  ).certificates;
}

beforeAll(async () => {
  kt = await startShortLivedDemo('kt-crash-', { lifetime: '1h', margin: 600 });
  fresh = path.join(kt.dir, 'fresh');
  expect((await cli(fresh, ['rccd', 'import', kt.sim.rccds.Demo!])).code).toBe(EXIT.ok);
  enrolled = copyHome(fresh);
  oldFp = await enrollRememberedShort(kt, enrolled, { imported: true });
}, 60_000);
afterAll(async () => {
  await kt?.stop();
});

describe('crash safety: SIGKILL at each write point', () => {
  it.each(['enrollment-record', 'key', 'certificate', 'p12', 'schedule'])(
    'enroll killed at %s: consistent home, and the next enroll completes',
    async (point) => {
      const home = copyHome(fresh);
      const run = await killedAt(home, point, ENROLL);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(checkHome(home).problems).toEqual([]);
      const again = await cli(home, ENROLL);
      expect(again.code, again.stderr).toBe(EXIT.ok);
      const after = checkHome(home);
      expect(after.problems).toEqual([]);
      const fp = (JSON.parse(again.stdout) as { sha256Fingerprint: string }).sha256Fingerprint;
      expect(after.stored).toContain(fp);
      const status = JSON.parse((await cli(home, ['status', '--json'])).stdout) as {
        certificates: { sha256Fingerprint: string }[];
      };
      expect(status.certificates.map((c) => c.sha256Fingerprint)).toContain(fp);
    },
    30_000,
  );

  it.each(['enrollment-record', 'key', 'store-swap', 'switch-over', 'schedule#3'])(
    'renew killed at %s: the old certificate stays until the new one is in place, and the next run finishes with one',
    async (point) => {
      const home = copyHome(enrolled);
      const run = await killedAt(home, point, ['renew', '--force']);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      const mid = checkHome(home);
      expect(mid.problems).toEqual([]);
      // Never without a complete certificate: the old one, or the new one already switched to.
      expect(mid.stored.length).toBeGreaterThanOrEqual(1);
      const next = await cli(home, ['renew']);
      expect(next.code, next.stderr + next.stdout).toBe(EXIT.ok);
      const after = checkHome(home);
      expect(after.problems).toEqual([]);
      const certs = await certsOf(home);
      expect(
        certs.filter((c) => c.service === 'SHORT'),
        JSON.stringify({ next: next.stdout, certs, mid, oldFp }),
      ).toHaveLength(1);
      // Where the renewal had stored its certificate, the restart finished the switch-over; otherwise the old one is kept.
      if (!mid.stored.includes(oldFp)) expect(certs[0]!.sha256Fingerprint).not.toBe(oldFp);
    },
    30_000,
  );

  it.each(['provider-import', 'provider-import#2'])(
    'rccd import killed at %s: the provider is still there',
    async (point) => {
      const home = copyHome(fresh);
      const run = await killedAt(home, point, ['rccd', 'import', '--force', kt.sim.rccds.Demo!]);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      const providers = await cli(home, ['providers', '--json']);
      expect(providers.stdout).toContain('Demo');
      expect(readdirSync(homeLayout(home).providers).filter((x) => x.startsWith('.replaced-'))).toEqual([]);
      expect((await cli(home, ENROLL)).code).toBe(EXIT.ok);
    },
    30_000,
  );
});
