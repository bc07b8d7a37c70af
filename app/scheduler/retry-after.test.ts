import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnrollment } from '../engine/enroll';
import { creds, scriptedTestFrontEnd, type SimHarness } from '../../test-support/engine/sim-harness';
import { startSchedulerSim, withAgentScheduler } from '../../test-support/scheduler/scheduler-harness';
import { shortLivedDemo } from '../../test-support/scheduler/short-lived-demo';
import { MemorySecretStore } from '../system/secret-store';
import { parseRetryAfter } from '../system/retry-after';
import { keepAliveJobId } from './periodic-jobs';
import { renewalJobId } from './renewal-job';

// Issue 22: a busy server (HTTP 429/503 with Retry-After, RFC 9110 10.2.3) is not asked again sooner than it said.
// The KeyTalk documents are silent on Retry-After (DELAY is the auth-status of a rejected sign-in, handled by the
// engine), so the agent honours the header where a server sends it. The simulator's `status` fault sends it.
let h: SimHarness;
const secrets = new MemorySecretStore();
const MIN = 60_000;

beforeAll(async () => {
  h = await startSchedulerSim([shortLivedDemo({ lifetime: '20s', margin: 5, keepAliveInterval: '10s' })]);
});
afterAll(async () => {
  await h?.stop();
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates, capped at an hour; garbage is ignored', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 5 * MIN).toUTCString(), now)).toBe(5 * MIN);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(60 * MIN);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('an interactive enrollment names the wait; unattended renewal and keep-alive wait at least that long', async () => {
    const deps = h.deps({ secretStore: secrets });
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'DemoUser', PASSWD: 'secret' }, true)]);
    const first = await runEnrollment({ provider: 'Demo', service: 'SHORT' }, fe.fe, deps);
    if (first.status !== 'issued') throw new Error(JSON.stringify(first));

    await h.control('/faults', { route: '/hello', kind: 'status', status: 503, retryAfter: '1800' });
    await h.control('/faults', { route: 'i-am-alive', kind: 'status', status: 429, retryAfter: '2400' });

    // Interactive: the outcome (what the CLI prints and the UI shows) says the server is busy and for how long.
    const busy = await runEnrollment({ provider: 'Demo', service: 'SHORT' }, scriptedTestFrontEnd([]).fe, deps);
    expect(busy).toMatchObject({ status: 'failed', retryAfterSeconds: 1800 });
    expect(busy.status === 'failed' && busy.message).toMatch(/HTTP 503.*asks to wait 30 min before trying again/);

    await withAgentScheduler(h, deps, 3, async ({ agent, clock }) => {
      await clock.advance(0);
      await agent.scheduler.idle();
      const alive = agent.scheduler.get(keepAliveJobId({ provider: 'Demo', templateName: 'SHORT', user: 'DemoUser' }))!;
      expect(alive.failures).toBe(1);
      expect(alive.lastError).toMatch(/HTTP 429.*asks to wait 40 min/);
      expect(alive.dueAt - clock.now()).toBeGreaterThanOrEqual(40 * MIN);

      const id = renewalJobId(first.sha256Fingerprint);
      await clock.advance(agent.scheduler.get(id)!.dueAt - clock.now());
      await agent.scheduler.idle();
      const renewal = agent.scheduler.get(id)!;
      expect(renewal.failures).toBe(1);
      expect(renewal.lastError).toMatch(/asks to wait 30 min/);
      // Our own back-off after a first failure is 30–60 s; the server's 30 minutes win.
      expect(renewal.dueAt - clock.now()).toBeGreaterThanOrEqual(30 * MIN);
      expect(renewal.dueAt - clock.now()).toBeLessThanOrEqual(31 * MIN);
    });
  }, 30_000);
});
