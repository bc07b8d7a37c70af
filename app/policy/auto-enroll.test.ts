import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { enrollments, credentialSecretKey } from '../engine/state';
import { nullLogger } from '../log/logger';
import { MemorySecretStore } from '../system/secret-store';
import { pendingAutoEnroll, readAutoEnrollState, runAutoEnroll } from './auto-enroll';

/**
 * Issue 20, policy autoEnroll against the KeyTalk simulator: an HWSIG service (USERID + HWSIG + PASSWD, the
 * password remembered) enrolls at first start without the user and never again; a service that needs the user
 * becomes one "needs attention" item instead of a prompt.
 */
let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness({
    providers: [
      {
        name: 'Demo',
        services: [
          { name: 'HWSIG', credentials: ['USERID', 'HWSIG', 'PASSWD'], hwsigFormula: '601,602,603' },
          { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'] },
        ],
        users: [{ id: 'DemoUser', password: 'secret', hwsig: 'CS-0123456789abcdef', otp: '135790' }],
      },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('autoEnroll (issue 20)', () => {
  it('enrolls silently where it can, once; asks once where it cannot', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set(credentialSecretKey('Demo', 'HWSIG'), JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }));
    // This machine's hardware signature as the simulator's user record knows it.
    const deps = h.deps({ secretStore: secrets, hwsig: async () => 'CS-0123456789abcdef' });
    const entries = [
      { provider: 'Demo', service: 'HWSIG' },
      { provider: 'Demo', service: 'OTP' },
    ];
    const first = await runAutoEnroll(deps, entries, nullLogger);
    expect(Object.keys(first.done)).toEqual(['Demo/HWSIG']);
    expect((await enrollments.list(h.home)).filter((r) => r.service === 'HWSIG')).toHaveLength(1);
    expect(await pendingAutoEnroll(h.home)).toEqual([
      { provider: 'Demo', service: 'OTP', reason: expect.stringMatching(/needs you to sign in once/) },
    ]);

    // Second start: HWSIG is not enrolled again (the record says done), OTP is still the user's to do.
    await runAutoEnroll(deps, entries, nullLogger);
    expect((await enrollments.list(h.home)).filter((r) => r.service === 'HWSIG')).toHaveLength(1);
    expect(Object.keys((await readAutoEnrollState(h.home)).pending)).toEqual(['Demo/OTP']);

    // The policy drops OTP: no longer pending.
    await runAutoEnroll(deps, entries.slice(0, 1), nullLogger);
    expect(await pendingAutoEnroll(h.home)).toEqual([]);
  });
});
