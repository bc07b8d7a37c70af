import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, periodicNext, periodicRetry } from './fleet-policy';
import { jitterWindow } from './renewal-job';
import type { RenewalDecision } from './renewal-rule';
import { simulateFleet } from '../../test-support/scheduler/fleet-simulation';
import { seededRandom } from '../../test-support/scheduler/scheduler-harness';

const H = 3_600_000;
/** The stated bound (README.md, issue 22): peak requests/minute after a one-hour outage ≤ 2 × the steady mean. */
const STATED_FACTOR = 2;
/** The fleet of the stated bound: 10 000 agents, hourly keep-alive, 10 hours with the server down in the 4th. */
const FLEET = { agents: 10_000, periodMs: H, durationMs: 10 * H, outage: { startMs: 3 * H, endMs: 4 * H } };

describe('fleet simulation: 10 000 agents, hourly keep-alive, one-hour server outage', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the post-outage peak within ${STATED_FACTOR}× the mean (seed ${seed})`, () => {
      const r = simulateFleet({
        ...FLEET,
        random: seededRandom(seed),
      });
      expect(r.meanBeforeOutage).toBeGreaterThan(150); // ≈ 10 000 / 63 min
      expect(r.failedRequests).toBeGreaterThan(10_000); // every agent hit the outage and retried
      expect(r.peakToMean).toBeLessThanOrEqual(STATED_FACTOR);
      // Everyone is back within two periods: the retry is U(0, 2P).
      expect(r.recoveryMs).toBeLessThanOrEqual(2 * H);
    });
  }

  it('the same fleet without jitter or back-off retries in lock-step (the failure this prevents)', () => {
    const r = simulateFleet({
      ...FLEET,
      random: seededRandom(1),
      policy: 'naive',
    });
    expect(r.peakAfterOutage).toBe(10_000);
    expect(r.peakToMean).toBeGreaterThan(STATED_FACTOR * 10);
  });

  it('a fleet that booted together does not stay synchronised after an outage', () => {
    const r = simulateFleet({
      ...FLEET,
      random: seededRandom(9),
      start: 'together',
    });
    expect(r.peakToMean).toBeLessThanOrEqual(STATED_FACTOR);
  });
});

describe('fleet policy', () => {
  it('backs off in [d/2, d] with d doubling up to the cap', () => {
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0)).toBe(30_000);
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0.999999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0)).toBe(120_000);
    expect(backoffDelay(40, DEFAULT_RETRY, () => 0.999999)).toBeLessThanOrEqual(H);
    expect(backoffDelay(40, DEFAULT_RETRY, () => 0)).toBe(H / 2);
  });

  it('the former policy (equal jitter, base P/6, cap P) measured 3.7–4.1 × after the same outage', () => {
    const r = simulateFleet({ ...FLEET, random: seededRandom(1), retry: { baseMs: H / 6, capMs: H } });
    expect(r.peakToMean).toBeGreaterThan(3.5);
  });

  it('full jitter: a periodic retry waits U(0, 2P), so a failing fleet sends no faster than a healthy one', () => {
    const policy = periodicRetry(H);
    expect(policy).toEqual({ baseMs: 2 * H, capMs: 2 * H, jitter: 'full' });
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(H);
    expect(backoffDelay(7, policy, () => 0.999999)).toBeLessThan(2 * H);
  });

  it('renewals: spread after the server margin by up to 1% of the lifetime, at most 15 minutes, never before it', () => {
    const at = Date.parse('2027-01-01T00:00:00Z');
    const decision = { dueAt: at, basis: 'server-margin' } as RenewalDecision;
    const lifetime = (days: number) => ({
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: new Date(Date.parse('2026-01-01T00:00:00Z') + days * 86_400_000).toISOString(),
    });
    // A 10-day certificate: 1% is 2.4 h, capped at 15 min; a 1-day one: 14.4 min. The window starts at the due time.
    expect(jitterWindow(decision, lifetime(10))).toEqual({ from: at, jitterMs: 15 * 60_000 });
    expect(jitterWindow(decision, lifetime(1))).toEqual({ from: at, jitterMs: 864_000 });
  });

  it('periodic jobs: re-spread over [P/2, P] after recovering', () => {
    expect(periodicNext(0, H, false)).toEqual({ nextDueAt: H, jitterMs: 6 * 60_000 });
    expect(periodicNext(0, H, true)).toEqual({ nextDueAt: H / 2, jitterMs: H / 2 });
  });
});
