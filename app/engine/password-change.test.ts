import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { MemorySecretStore } from '../system/secret-store';
import { runEnrollment } from './enroll';
import { passwordChecks } from './password-checks';
import { passwordExpiries } from './password-expiry';
import { runPasswordChange } from './password-change';
import { credentialSecretKey, enrollments } from './state';

/**
 * RCDP 2.6.7: "A caller may also choose to change his password on successful authentication when
 * password-validity ... gives a hint that the password is about to expire." Proved against the simulator: after
 * the change the old password is refused and the new one enrolls, and the remembered password follows.
 */
let h: SimHarness;
const secrets = new MemorySecretStore();
const THREE_DAYS = 3 * 86_400;

beforeAll(async () => {
  h = await startSimHarness({
    providers: [
      {
        name: 'Demo',
        // No suspension after a refusal: the test tries the next password at once.
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], failDelay: 0, cert: {} }],
        users: [
          { id: 'alice', password: 'old-secret', passwordValidity: THREE_DAYS },
          { id: 'bob', password: 'bob-old-1', passwordValidity: THREE_DAYS },
        ],
      },
    ],
  });
});
afterAll(async () => h?.stop());

const deps = () => h.deps({ secretStore: secrets });
/** A front-end that gives up at the first rejection, as the CLI does: one attempt, no retry. */
const once = (answers: Parameters<typeof scriptedTestFrontEnd>[0]) => {
  const t = scriptedTestFrontEnd(answers);
  return { ...t, fe: { ...t.fe, asksAgainAfterRejection: false } };
};

describe('voluntary password change (RCDP 2.6.7)', () => {
  it('an enrollment with a 3-day password-validity warns; the change replaces the password on the server and in the secret store', async () => {
    const first = once([() => creds({ USERID: 'alice', PASSWD: 'old-secret' }, true)]);
    expect((await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, first.fe, deps())).status).toBe('issued');
    const before = passwordExpiries(await enrollments.list(h.home), new Date(), 14, await passwordChecks.list(h.home));
    expect(before).toMatchObject([{ provider: 'Demo', service: 'PASSWD', userId: 'alice', warn: true }]);

    const t = once([
      () => creds({ USERID: 'alice', PASSWD: 'old-secret' }),
      () => ({ kind: 'change-password', oldPassword: '', newPassword: 'new-secret-1' }),
    ]);
    const outcome = await runPasswordChange({ provider: 'Demo', service: 'PASSWD' }, t.fe, deps());
    expect(outcome).toEqual({ status: 'password-changed', provider: 'Demo', service: 'PASSWD', userId: 'alice' });
    expect(t.prompts[1]).toEqual({ kind: 'change-password', reason: 'requested' });
    // The remembered password is the new one, so silent renewal does not spend a strike on the old one.
    expect(JSON.parse((await secrets.get(credentialSecretKey('Demo', 'PASSWD')))!)).toMatchObject({
      USERID: 'alice',
      PASSWD: 'new-secret-1',
    });
    // The warning ends with the change (the new password's validity comes with the next sign-in).
    const after = passwordExpiries(await enrollments.list(h.home), new Date(), 14, await passwordChecks.list(h.home));
    expect(after).toEqual([]);
  });

  it('after the change the old password is refused and the new one enrolls', async () => {
    // No secret store here: the typed password is what the server judges, not the remembered one.
    const old = once([() => creds({ USERID: 'alice', PASSWD: 'old-secret' })]);
    const refused = await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, old.fe, h.deps());
    expect(refused).toMatchObject({ status: 'failed', code: 'auth-failed' });
    const fresh = once([() => creds({ USERID: 'alice', PASSWD: 'new-secret-1' })]);
    expect(await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, fresh.fe, h.deps())).toMatchObject({ status: 'issued' });
  });

  it('a refused change (wrong current password) asks again with the reason, and the password stays', async () => {
    const t = once([
      () => creds({ USERID: 'alice', PASSWD: 'new-secret-1' }),
      () => ({ kind: 'change-password', oldPassword: 'not-it', newPassword: 'new-secret-2' }),
      (p) => {
        expect(p).toMatchObject({ kind: 'change-password', reason: 'requested', error: expect.stringMatching(/refused/) });
        return undefined; // the user gives up
      },
    ]);
    const outcome = await runPasswordChange({ provider: 'Demo', service: 'PASSWD' }, t.fe, h.deps());
    expect(outcome.status).toBe('failed');
    const still = once([() => creds({ USERID: 'alice', PASSWD: 'new-secret-1' })]);
    expect((await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, still.fe, h.deps())).status).toBe('issued');
  });

  it('CLI: `password change --stdin` reads the current and the new password from stdin; the server then takes only the new one', async () => {
    const home = path.join(h.tmp, 'cli-home');
    expect((await runCliCaptured(['rccd', 'import', h.sim.rccds.Demo!], { home })).code).toBe(0);
    const args = ['--provider', 'Demo', '--service', 'PASSWD', '--user', 'bob'];
    const changed = await runCliCaptured(['password', 'change', ...args, '--stdin'], { home, input: 'bob-old-1\nbob-new-2\n' });
    expect(changed.stderr).toBe('');
    expect(changed).toMatchObject({ code: 0, stdout: expect.stringContaining('password changed for bob on Demo/PASSWD') });
    const old = await runCliCaptured(['enroll', ...args, '--password-stdin'], { home, input: 'bob-old-1\n' });
    expect(old.code).toBe(3); // authentication failed
    const fresh = await runCliCaptured(['enroll', ...args, '--password-stdin'], { home, input: 'bob-new-2\n' });
    expect(fresh.code).toBe(0);
    // Scripts get a clear refusal, not a hanging prompt, when the new password is missing.
    const half = await runCliCaptured(['password', 'change', ...args, '--stdin'], { home, input: 'bob-new-2\n' });
    expect(half).toMatchObject({ code: 2, stderr: expect.stringContaining('two lines') });
  });
});
