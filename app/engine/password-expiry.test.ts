import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { runEnrollment } from './enroll';
import { passwordExpiries } from './password-expiry';
import { enrollments, type EnrollmentRecord } from './state';

/**
 * password-validity (RCDP authentication "OK": "the number of seconds until the password expires or -1 if the
 * password never expires"): recorded, announced during the flow when it is close, and shown by `status`.
 */
const DAY = 86_400;
const fixture: FixtureInput = {
  providers: [
    {
      name: 'Demo',
      services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
      users: [
        { id: 'soon', password: 'secret', passwordValidity: 3 * DAY + 600 },
        { id: 'never', password: 'secret', passwordValidity: -1 },
      ],
    },
  ],
};

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());

const enroll = async (user: string) => {
  const t = scriptedTestFrontEnd([() => creds({ USERID: user, PASSWD: 'secret' })]);
  const outcome = await runEnrollment({ provider: 'Demo', service: 'PASSWD' }, t.fe, h.deps());
  return { outcome, progress: t.progress };
};

describe('password-validity', () => {
  it('a password that expires in 3 days is announced in the flow and recorded; -1 (never) is not', async () => {
    const soon = await enroll('soon');
    expect(soon.outcome.status).toBe('issued');
    expect(soon.progress).toContainEqual({
      kind: 'step',
      step: 'password-expires',
      detail: 'your password expires in 3 day(s); change it soon',
      // Coded for the window's languages: the time left as a duration ("3 dagen", "noch 3 Tage").
      detailText: {
        code: 'step.password-expires',
        params: { seconds: 3 * DAY + 600 },
        message: 'your password expires in 3 day(s); change it soon',
      },
    });
    const never = await enroll('never');
    expect(never.progress.some((p) => p.kind === 'step' && p.step === 'password-expires')).toBe(false);
    const recs = await enrollments.list(h.home);
    expect(recs.find((r) => r.userId === 'soon')?.extras.passwordValidity).toBe(3 * DAY + 600);
  });

  it('status names whose password expires when, and warns within 14 days (text and --json)', async () => {
    const text = await runCliCaptured(['status'], { home: h.home });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /warning: the password of soon for Demo\/PASSWD expires in 3 day\(s\) \(\d{4}-\d\d-\d\d\); change it/,
    );
    expect(text.stdout).not.toContain('of never');
    const json = JSON.parse((await runCliCaptured(['status', '--json'], { home: h.home })).stdout) as {
      passwords: { userId: string; daysLeft: number; warn: boolean }[];
    };
    expect(json.passwords).toEqual([expect.objectContaining({ userId: 'soon', daysLeft: 3, warn: true })]);
  });

  it('the newest sign-in per provider/service/user decides; far-off expiry is listed without a warning', () => {
    const rec = (issuedAt: string, validity: number): EnrollmentRecord => ({
      sha256Fingerprint: issuedAt,
      provider: 'P',
      service: 'S',
      userId: 'u',
      csr: false,
      subject: 'CN=u',
      notBefore: issuedAt,
      notAfter: issuedAt,
      issuedAt,
      stores: ['file'],
      credentialsRemembered: false,
      extras: { passwordValidity: validity },
      rcdpVersion: '2.8.3',
    });
    const now = new Date('2026-03-01T00:00:00Z');
    const list = passwordExpiries([rec('2026-02-01T00:00:00Z', 2 * DAY), rec('2026-02-28T00:00:00Z', 60 * DAY)], now);
    expect(list).toEqual([
      { provider: 'P', service: 'S', userId: 'u', expiresAt: '2026-04-29T00:00:00.000Z', daysLeft: 59, warn: false },
    ]);
  });
});
