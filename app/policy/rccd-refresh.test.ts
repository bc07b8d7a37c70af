import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../test-support/scheduler/scheduler-harness';
import { PublicApiError } from '../public-api/errors';
import {
  anyRefreshDue,
  claimDueSources,
  RCCD_REFRESH_PERIOD_MS as P,
  recordRefresh,
  refreshRecord,
  scheduleAfter,
} from './rccd-refresh';

/**
 * Issue 20, "never stampedes a server": the `rccd?uid` refresh of provisioned providers, timed by the scheduler's own
 * fleet rule (fleet-policy.ts) on fake clocks. The simulator round trip (fetched when due, restart keeps the due
 * time, a busy server's Retry-After) is in remote-rccd.test.ts.
 */
const MIN = 60_000;
const NINE = Date.UTC(2026, 0, 5, 9); // the fleet boots at 09:00
const source = { server: 'keytalk.example:443', uid: 'DEMO0123456789AB', sha256: 'AB'.repeat(32) };

/** Requests per minute of the given times (ms): the peak, and the mean over the minutes from first to last. */
function perMinute(times: number[]): { peak: number; mean: number } {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(Math.floor(t / MIN), (counts.get(Math.floor(t / MIN)) ?? 0) + 1);
  const minutes = Math.floor(Math.max(...times) / MIN) - Math.floor(Math.min(...times) / MIN) + 1;
  return { peak: Math.max(...counts.values()), mean: times.length / minutes };
}

describe('rccd?uid refresh: 10 000 devices that installed at 09:00', () => {
  const N = 10_000;
  const random = seededRandom(20);

  it('the first refreshes spread over [09:00 + P/2, 09:00 + P), and stay spread cycle after cycle', () => {
    let due = Array.from({ length: N }, () => scheduleAfter({ ok: true }, 0, true, NINE, random).dueAt);
    expect(Math.min(...due)).toBeGreaterThanOrEqual(NINE + P / 2);
    expect(Math.max(...due)).toBeLessThan(NINE + P);
    // Evenly: 180 minutes, about 56 a minute; no minute more than twice that.
    let load = perMinute(due);
    expect(load.mean).toBeGreaterThan(50);
    expect(load.peak).toBeLessThanOrEqual(2 * load.mean);
    // Four more 6-hour cycles, each fetched at its due time: P plus the periodic jitter keeps them apart.
    for (let cycle = 0; cycle < 4; cycle++) {
      due = due.map((at) => scheduleAfter({ ok: true }, 0, false, at, random).dueAt);
      load = perMinute(due);
      expect(load.peak).toBeLessThanOrEqual(2 * load.mean);
    }
    // What this replaces: every 6 h from each agent's start, all 10 000 in the minute of 15:00.
    expect(perMinute(Array.from({ length: N }, () => NINE + P)).peak).toBe(N);
  });

  it('a failure backs off: a busy server’s Retry-After is a floor; an installed provider waits up to two periods', () => {
    const busy = new PublicApiError('rccd', 'HTTP 503', 'http', 503, undefined, 40 * MIN);
    for (let i = 0; i < 200; i++) {
      const installed = scheduleAfter({ ok: false, error: busy, installed: true }, 0, false, NINE, random);
      expect(installed.failures).toBe(1);
      expect(installed.dueAt - NINE).toBeGreaterThanOrEqual(40 * MIN);
      expect(installed.dueAt - NINE).toBeLessThanOrEqual(2 * P);
      // Not installed yet (the user has no provider): the renewals' back-off, 1 min doubling to 1 h.
      const missing = scheduleAfter({ ok: false, error: new Error('refused'), installed: false }, 2, false, NINE, random);
      expect(missing.failures).toBe(3);
      expect(missing.dueAt - NINE).toBeGreaterThanOrEqual(2 * MIN);
      expect(missing.dueAt - NINE).toBeLessThanOrEqual(4 * MIN);
    }
  });
});

describe('rccd?uid refresh state (<home>/state/rccd-refresh.json)', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'kt-rccd-refresh-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('an installed provider with no due time yet (an updated agent) is not fetched at start but spread; restarts keep it', async () => {
    const installed = async () => true;
    // The watch's 5-minute look: a source with no due time yet needs a provisioning run (to be given one).
    expect(await anyRefreshDue(home, [source], NINE)).toBe(true);
    expect(await claimDueSources(home, [source], installed, { now: () => NINE, random: seededRandom(1) })).toEqual([]);
    const first = (await refreshRecord(home, source))!;
    expect(first.dueAt).toBeGreaterThanOrEqual(NINE + P / 2);
    expect(first.dueAt).toBeLessThan(NINE + P);
    // A restart an hour later: the same due time, nothing fetched.
    expect(await claimDueSources(home, [source], installed, { now: () => NINE + 3_600_000 })).toEqual([]);
    expect((await refreshRecord(home, source))!.dueAt).toBe(first.dueAt);
    expect(await anyRefreshDue(home, [source], first.dueAt - 1)).toBe(false);
    expect(await anyRefreshDue(home, [source], first.dueAt)).toBe(true);
    // At the due time it is claimed (another process on this home sees it taken), then recorded.
    expect(await claimDueSources(home, [source], installed, { now: () => first.dueAt })).toEqual([source]);
    expect(await claimDueSources(home, [source], installed, { now: () => first.dueAt + 1000 })).toEqual([]);
    await recordRefresh(home, source, { ok: true, first: false }, { now: () => first.dueAt, random: () => 0.5 });
    expect((await refreshRecord(home, source))!).toEqual({
      entry: expect.any(String),
      dueAt: first.dueAt + P + 7.5 * MIN,
      failures: 0,
    });
    // The administrator changes the entry (another pin): fetched at once, whatever the due time.
    expect(
      await claimDueSources(home, [{ ...source, sha256: 'CD'.repeat(32) }], installed, { now: () => first.dueAt + 1 }),
    ).toHaveLength(1);
  });
});
