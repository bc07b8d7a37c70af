import { describe, expect, it } from 'vitest';
import { runSoak } from '../../test-support/scheduler/soak';

// Issue 22, soak (lean): 50 certificates, one year of simulated time through the real Scheduler, schedule file and
// renewal/keep-alive/messages handlers (test-support/scheduler/soak.ts). Every renewal runs on time (never before
// its due time, at most the jitter plus a tick after, never after expiry), none is left overdue, and the timers
// the scheduler holds stay bounded (its wake-up plus the deadlines of running jobs) and are all gone after stop.
// The full run with heap samples is `npm run bench -- soak`.
describe('soak: a year of scheduled work for 50 certificates', () => {
  it('renews every certificate on time, keeps polling, and leaks no timer', async () => {
    const r = await runSoak({
      certificates: 50,
      days: 365,
      lifetimeDays: 90,
      marginDays: 14,
      templates: 1,
      keepAliveSeconds: 86_400,
      messagesMinutes: 24 * 60,
      seed: 7,
    });
    expect(r.offSchedule).toEqual([]);
    expect(r.overdueAtEnd).toBe(0);
    // Each certificate renews every 76 days (90 − 14), so 4 or 5 times in 365 days.
    expect(r.renewals).toBeGreaterThanOrEqual(50 * 4);
    expect(r.renewals).toBeLessThanOrEqual(50 * 5);
    // Daily keep-alive, daily messages (the re-spread after failures never applies: none fail).
    expect(r.keepAlives).toBeGreaterThanOrEqual(330);
    expect(r.messagePolls).toBeGreaterThanOrEqual(330);
    // 50 renewal jobs, 1 keep-alive, 1 messages: renewed certificates replace their job, none piles up.
    expect(r.jobsAtEnd).toBe(52);
    expect(Math.max(...r.samples.map((x) => x.clockTimers))).toBeLessThanOrEqual(3);
    expect(r.clockTimersAfterStop).toBe(0);
    const resources = r.samples.map((x) => x.activeResources);
    expect(Math.max(...resources)).toBeLessThanOrEqual(resources[0]! + 4);
  }, 120_000);
});
