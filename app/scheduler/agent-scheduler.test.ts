import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnrollment } from '../engine/enroll';
import { credentialSecretKey } from '../engine/state';
import { creds, scriptedTestFrontEnd, type SimHarness } from '../../test-support/engine/sim-harness';
import { memorySink, createLogger } from '../log/logger';
import { MemorySecretStore } from '../system/secret-store';
import { renewalJobId } from './renewal-job';
import { startSchedulerSim, withAgentScheduler } from '../../test-support/scheduler/scheduler-harness';
import { shortLivedDemo } from '../../test-support/scheduler/short-lived-demo';

// End to end: the real engine renews a 20-second certificate from the KeyTalk simulator, silently, with the
// credentials the user agreed to keep; real file store; the scheduler on a controllable clock.
let h: SimHarness;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  h = await startSchedulerSim([shortLivedDemo({ lifetime: '20s', margin: 5, keepAliveInterval: '10s' })]);
});
afterAll(async () => {
  await h?.stop();
});

describe('AgentScheduler with the engine and the KeyTalk simulator', () => {
  it('renews a short-lived certificate at the server margin, silently, and replaces it in the store', async () => {
    const deps = h.deps({ secretStore: secrets });
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'DemoUser', PASSWD: 'secret' }, true)]);
    const first = await runEnrollment({ provider: 'Demo', service: 'SHORT' }, fe.fe, deps);
    expect(first).toMatchObject({ status: 'issued' });
    if (first.status !== 'issued') return;
    expect(await secrets.get(credentialSecretKey('Demo', 'SHORT'))).toContain('DemoUser');

    await withAgentScheduler(
      h,
      deps,
      2,
      async ({ agent, clock, events }) => {
        const id = renewalJobId(first.sha256Fingerprint);
        const job = agent.scheduler.get(id)!;
        expect(job.reason).toMatch(/server's expiration margin is 5 s/);
        expect(job.dueAt).toBeGreaterThanOrEqual(Date.parse(first.notAfter) - 5_000);
        expect(job.dueAt).toBeLessThanOrEqual(Date.parse(first.notAfter) - 5_000 + 200);

        // Keep-alive ran at start with the enrolled identity and the server's 10 s interval.
        await clock.advance(0);
        await agent.scheduler.idle();
        const status0 = await agent.status();
        expect(status0.keepAlive).toEqual([expect.objectContaining({ provider: 'Demo', template: 'SHORT', user: 'DemoUser' })]);
        expect(status0.keepAlive[0]!.lastSuccessAt).toBeDefined();
        expect(status0.certificates[0]).toMatchObject({ sha256Fingerprint: first.sha256Fingerprint, state: 'scheduled' });

        // Not before the margin.
        await clock.advance(job.dueAt - clock.now() - 1_000);
        await agent.scheduler.idle();
        expect(events.filter((e) => e.startsWith('renewed'))).toEqual([]);
        // At the margin.
        await clock.advance(1_000);
        await agent.scheduler.idle();
        const renewed = events.filter((e) => e.startsWith('renewed'));
        expect(renewed).toHaveLength(1);
        const newFp = renewed[0]!.slice('renewed:'.length);
        const stored = (await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint);
        expect(stored).toEqual([newFp]);
        const status = await agent.status();
        expect(status.certificates.map((c) => c.sha256Fingerprint)).toEqual([newFp]);
      },
      { log: createLogger(memorySink(), 'debug') },
    );
  });

  it('without remembered credentials it asks the user (popup), keeping the current certificate', async () => {
    await secrets.delete(credentialSecretKey('Demo', 'SHORT'));
    const deps = h.deps({ secretStore: secrets });
    await withAgentScheduler(h, deps, 3, async ({ agent, events }) => {
      const before = (await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint);
      expect(before).toHaveLength(1);
      const results = await agent.renew({ service: 'SHORT', force: true });
      expect(results).toEqual([
        expect.objectContaining({ ran: true, outcome: expect.stringMatching(/^not renewed: needs the user/) }),
      ]);
      expect(events).toEqual(['popup:SHORT:0']);
      expect((await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint)).toEqual(before);
      expect((await agent.status()).certificates[0]!.state).toBe('waiting-for-user');
    });
  });
  it('LOCKED during unattended renewal: the user is told, the certificate stays; server down then up: renewed after back-off', async () => {
    await secrets.set(credentialSecretKey('Demo', 'SHORT'), JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }));
    const deps = h.deps({ secretStore: secrets });
    await withAgentScheduler(h, deps, 4, async ({ agent, clock, events }) => {
      const storeFps = async () => (await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint);
      const before = await storeFps();
      await h.control('/users/DemoUser/lock', { seconds: 60 });
      const locked = await agent.renew({ service: 'SHORT', force: true });
      expect(locked[0]!.outcome).toMatch(/^not renewed: locked/);
      expect(events).toEqual(['locked:SHORT']);
      expect(await storeFps()).toEqual(before);
      expect((await agent.status()).certificates[0]).toMatchObject({ state: 'retrying', failures: 1 });
      await h.control('/users/DemoUser/unlock', {}).catch(() => undefined);

      // Server down (every RCDP call 503): the renewal backs off and the certificate stays.
      await h.control('/faults', { route: '/rcdp/', kind: 'status', status: 503 });
      const id = agent.scheduler.list().find((j) => j.kind === 'renewal')!.id;
      await clock.advance(agent.scheduler.get(id)!.dueAt - clock.now());
      await agent.scheduler.idle();
      const failing = agent.scheduler.get(id)!;
      expect(failing.failures).toBe(2);
      expect(failing.lastError).toMatch(/503|server|network/i);
      expect(await storeFps()).toEqual(before);
      // Server back: the next attempt renews.
      await h.control('/faults', undefined, 'DELETE');
      await clock.advance(failing.dueAt - clock.now());
      await agent.scheduler.idle();
      expect(events.filter((e) => e.startsWith('renewed'))).toHaveLength(1);
      expect(await storeFps()).not.toEqual(before);
    });
  });
  it('polls last-messages on schedule in a silent session, from the newest one seen, and counts unread', async () => {
    const deps = h.deps({ secretStore: secrets });
    await withAgentScheduler(h, deps, 5, async ({ agent, events }) => {
      await agent.scheduler.runNow('messages:Demo');
      const baseline = (await agent.status()).unreadMessages;
      await h.control('/messages', { text: 'Maintenance tonight', utc: new Date(Date.now() + 1000).toISOString() });
      await agent.scheduler.runNow('messages:Demo');
      expect(events.filter((e) => e.startsWith('messages:'))).toEqual([`messages:Demo:1:${baseline + 1}`]);
      expect((await agent.status()).unreadMessages).toBe(baseline + 1);
      // Nothing new: no second notification.
      await agent.scheduler.runNow('messages:Demo');
      expect(events.filter((e) => e.startsWith('messages:'))).toHaveLength(1);
      expect(agent.scheduler.get('messages:Demo')!.reason).toMatch(/server messages checked every 60 min/);
    });
  });
  it('a corrupt schedule.json: the scheduler starts, keeps the copy aside and rebuilds the renewal from the enrollments', async () => {
    const deps = h.deps({ secretStore: secrets });
    const stored = (await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint);
    expect(stored).toHaveLength(1);
    const file = path.join(h.home, 'state', 'schedule.json');
    writeFileSync(file, '{"version":1,"jobs":[{"id":"renewal:');
    await withAgentScheduler(h, deps, 6, async ({ agent }) => {
      expect(agent.scheduler.get(renewalJobId(stored[0]!))).toBeDefined();
      expect((await agent.status()).repaired).toEqual([expect.stringMatching(/^schedule\.json was found damaged/)]);
    });
    expect(readdirSync(path.dirname(file)).filter((n) => n.startsWith('schedule.json.damaged-'))).toHaveLength(1);
  });
});
