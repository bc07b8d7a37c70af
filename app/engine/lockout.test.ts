/**
 * The user's lockout budget (RCDP 2.6.3, "auth-status" DELAY and LOCKED): a server that locks after three
 * failures must see exactly the attempts the user made, never one the agent resent by itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { MemorySecretStore } from '../system/secret-store';
import { runEnrollment, type EnrollRequest } from './enroll';
import type { FlowAnswer } from '../model/flow-types';
import { credentialSecretKey } from './state';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

// A "three strikes" service: every failure suspends the caller for 1 s, the third in a row locks for 10 min.
const fixture: FixtureInput = {
  providers: [
    {
      name: 'Demo',
      services: [
        { name: 'STRIKES', credentials: ['USERID', 'PASSWD'], failDelay: 1, lockAfterFailures: 3, lockSeconds: 600, cert: {} },
      ],
      users: [
        { id: 'gina', password: 'right' },
        { id: 'hank', password: 'right' },
        { id: 'ivan', password: 'right' },
      ],
    },
  ],
};

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());
beforeEach(async () => {
  await h.control('/log', undefined, 'DELETE');
});

interface LogEntry {
  action?: string;
  fields: Record<string, string>;
}
/** The authentication requests the simulator received for `user`, as its request log recorded them. */
async function authRequests(user: string): Promise<LogEntry[]> {
  const log = (await h.control('/log')) as LogEntry[];
  return log.filter((e) => e.action === 'authentication' && e.fields.USERID === user);
}

const typed = (user: string, password: string) => (): FlowAnswer => creds({ USERID: user, PASSWD: password });
const enroll = (req: Partial<EnrollRequest>, answers: Parameters<typeof scriptedTestFrontEnd>[0], deps = h.deps()) => {
  const t = scriptedTestFrontEnd(answers);
  return runEnrollment({ provider: 'Demo', service: 'STRIKES', ...req }, t.fe, deps).then((outcome) => ({ outcome, ...t }));
};

describe('RCDP 2.6.3 DELAY: never spend the lockout budget', () => {
  it('two typos, then the right password enrolls; the server saw exactly three authentication requests', async () => {
    const { outcome, prompts, progress } = await enroll(
      {},
      [typed('gina', 'typo-1'), typed('gina', 'typo-2'), typed('gina', 'right')],
      // Real waits: the server refuses an attempt made inside its `delay`.
      h.deps({ sleep: undefined }),
    );
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(prompts.map((p) => p.kind === 'credentials' && p.error)).toEqual([
      undefined,
      'The KeyTalk server rejected the credentials; check them and try again.',
      'The KeyTalk server rejected the credentials; check them and try again.',
    ]);
    expect(progress.filter((p) => p.kind === 'wait')).toEqual([
      { kind: 'wait', seconds: 1, reason: 'delay' },
      { kind: 'wait', seconds: 1, reason: 'delay' },
    ]);
    // The rejection is coded too, for the UI's languages (app/model/core-text.ts); the English stays the message.
    expect(prompts.map((p) => p.kind === 'credentials' && p.errorText?.code)).toEqual([
      undefined,
      'auth.rejected',
      'auth.rejected',
    ]);
    const sent = await authRequests('gina');
    expect(sent).toHaveLength(3);
    // The simulator redacts passwords; each request carries the user's own typed attempt (see prompts above).
    expect(sent.every((e) => e.fields.PASSWD === '[redacted]')).toBe(true);
  });

  it('a third typo locks: reported as locked ("too many attempts") only when the server says LOCKED', async () => {
    const { outcome, prompts } = await enroll({}, typed('hank', 'typo'), h.deps({ sleep: undefined }));
    expect(outcome).toMatchObject({ status: 'failed', code: 'locked', message: expect.stringContaining('locked') });
    // LOCKED with the server's remaining lock time: coded with the seconds, so the UI can say it in words.
    expect(outcome).toMatchObject({ text: { code: 'auth.locked-for', params: { seconds: expect.any(Number) } } });
    expect(prompts).toHaveLength(3);
    expect(await authRequests('hank')).toHaveLength(3);
  });

  it('unattended renewal stops at the first rejection and forgets the rejected remembered password', async () => {
    const secretStore = new MemorySecretStore();
    const key = credentialSecretKey('Demo', 'STRIKES');
    await secretStore.set(key, JSON.stringify({ USERID: 'ivan', PASSWD: 'changed-since' }));
    const { outcome, prompts } = await enroll({ unattended: true }, [], h.deps({ secretStore }));
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'auth-failed',
      message: expect.stringContaining('rejected the remembered credentials; they were not sent again'),
      text: { code: 'auth.rejected-remembered' },
    });
    expect(prompts).toHaveLength(0);
    expect(await authRequests('ivan')).toHaveLength(1);
    // The next scheduled run has nothing to resend: the user signs in through the renewal popup.
    expect(await secretStore.get(key)).toBeUndefined();
    const again = await enroll({ unattended: true }, [], h.deps({ secretStore }));
    expect(again.outcome).toMatchObject({ status: 'failed' });
    expect(await authRequests('ivan')).toHaveLength(1);
  });

  it('a front-end that cannot ask again (the CLI) stops at the first rejection, naming the wait once', async () => {
    const t = scriptedTestFrontEnd([typed('ivan', 'typo')]);
    const fe = { ...t.fe, asksAgainAfterRejection: false };
    await h.control('/users/ivan/unlock', {});
    await h.control('/log', undefined, 'DELETE');
    const outcome = await runEnrollment({ provider: 'Demo', service: 'STRIKES' }, fe, h.deps());
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'auth-failed',
      message: "the KeyTalk server rejected the credentials; wait 1 s (the server's delay), then try again with the right ones",
      text: { code: 'auth.rejected-final-wait', params: { seconds: 1 } },
    });
    expect(t.progress.filter((p) => p.kind === 'wait')).toEqual([]);
    expect(await authRequests('ivan')).toHaveLength(1);
  });
});
