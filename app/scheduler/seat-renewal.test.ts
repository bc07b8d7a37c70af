import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptCmsEnvelope } from '../crypto/cms';
import { runEnrollment } from '../engine/enroll';
import { enrollments } from '../engine/state';
import { creds, scriptedTestFrontEnd, type SimHarness } from '../../test-support/engine/sim-harness';
import { MemorySecretStore } from '../system/secret-store';
import { renewalJobId } from './renewal-job';
import { startSchedulerSim, withAgentScheduler } from '../../test-support/scheduler/scheduler-harness';

// A seat certificate (server resolved a seat from USERID + computer-name) renews at the margin with seat
// authentication — the CMS challenge decrypted with the certificate's own key — with no credentials kept and
// nobody asked; a template the server does not auto-renew asks the user instead.
let h: SimHarness;

beforeAll(async () => {
  h = await startSchedulerSim([
    {
      name: 'Demo',
      services: [
        {
          name: 'SEAT',
          credentials: ['USERID', 'PASSWD'],
          supplyComputerName: true,
          seat: true,
          cert: { lifetime: '20s', certExpirationMargin: 5, autoRenewSeatCerts: true },
        },
        {
          name: 'SEATMANUAL',
          credentials: ['USERID', 'PASSWD'],
          supplyComputerName: true,
          seat: true,
          cert: { lifetime: '20s', certExpirationMargin: 5, autoRenewSeatCerts: false },
        },
      ],
      users: [{ id: 'seat-user', password: 'secret', computerName: 'testhost' }],
    },
  ]);
});
afterAll(async () => {
  await h?.stop();
});

describe('seat certificates in the scheduler (simulator SEAT service)', () => {
  it('records the seat at enrollment and renews it silently with seat authentication', async () => {
    // A secret store that stays empty: the user did not tick "remember", so only the seat key can renew.
    const secrets = new MemorySecretStore();
    const deps = h.deps({ secretStore: secrets, decryptSeatChallenge: decryptCmsEnvelope, computerName: () => 'testhost' });
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'seat-user', PASSWD: 'secret' }, false)]);
    const first = await runEnrollment({ provider: 'Demo', service: 'SEAT' }, fe.fe, deps);
    expect(first).toMatchObject({ status: 'issued' });
    if (first.status !== 'issued') return;
    expect(await enrollments.get(h.home, first.sha256Fingerprint)).toMatchObject({
      auth: 'credentials',
      credentialsRemembered: false,
      seat: { userId: 'seat-user', computerName: 'testhost' },
    });

    await withAgentScheduler(h, deps, 7, async ({ agent, clock, events }) => {
      const job = agent.scheduler.get(renewalJobId(first.sha256Fingerprint))!;
      expect(job.data).toMatchObject({ seat: true, userId: 'seat-user' });
      await clock.advance(0); // seat-templates job: which templates auto-renew
      await agent.scheduler.idle();
      await clock.advance(job.dueAt - clock.now());
      await agent.scheduler.idle();
      const renewed = events.filter((e) => e.startsWith('renewed:'));
      expect(events.filter((e) => e.startsWith('popup'))).toEqual([]);
      expect(renewed).toHaveLength(1);
      const newFp = renewed[0]!.slice('renewed:'.length);
      expect(await enrollments.get(h.home, newFp)).toMatchObject({
        auth: 'seat',
        seat: { userId: 'seat-user', computerName: 'testhost' },
      });
      expect((await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint)).toContain(newFp);
      expect((await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint)).not.toContain(first.sha256Fingerprint);
    });
  });

  it('a seat template the server does not auto-renew asks the user and keeps the certificate', async () => {
    const deps = h.deps({
      secretStore: new MemorySecretStore(),
      decryptSeatChallenge: decryptCmsEnvelope,
      computerName: () => 'testhost',
    });
    const fe = scriptedTestFrontEnd([() => creds({ USERID: 'seat-user', PASSWD: 'secret' }, false)]);
    const first = await runEnrollment({ provider: 'Demo', service: 'SEATMANUAL' }, fe.fe, deps);
    if (first.status !== 'issued') throw new Error(`not issued: ${JSON.stringify(first)}`);
    await withAgentScheduler(h, deps, 8, async ({ agent, clock, events }) => {
      const job = agent.scheduler.get(renewalJobId(first.sha256Fingerprint))!;
      expect(job.data).toMatchObject({ seat: true });
      await clock.advance(0);
      await agent.scheduler.idle();
      await clock.advance(job.dueAt - clock.now());
      await agent.scheduler.idle();
      expect(events).toContain('popup:SEATMANUAL:0');
      expect(events.filter((e) => e.startsWith('renewed:'))).toEqual([]);
      expect((await (await deps.stores())[0]!.list()).map((c) => c.sha256Fingerprint)).toContain(first.sha256Fingerprint);
    });
  });
});
