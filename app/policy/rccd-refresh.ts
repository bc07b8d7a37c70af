import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { DEFAULT_RETRY, nextTiming, periodicNext, periodicRetry, type Random } from '../scheduler/fleet-policy';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { retryAfterOf } from '../system/retry-after';
import { readStateFile } from '../system/state-file';
import type { RemoteRccdSource } from './remote-rccd';

/**
 * When each `{server, uid, sha256}` provider is fetched again with `rccd?uid` (remote-rccd.ts), so that a fleet never
 * asks its KeyTalk server in lock-step. Timing is the scheduler's own rule (app/scheduler/fleet-policy.ts), not a
 * second one:
 *  - a refresh is due every RCCD_REFRESH_PERIOD_MS plus the periodic jitter; the first one after an install (and the
 *    first after a failure streak, and on an agent that has the provider but no due time yet) is re-spread over
 *    [P/2, P] (`periodicNext`'s recovering rule), so agents that installed or booted together drift apart at once;
 *  - the due time is persisted per source (<home>/state/rccd-refresh.json), so a restart — a fleet booting at
 *    09:00 — does not fetch again: it waits for the due time it had;
 *  - a failure backs off: an installed provider (still usable) by the periodic jobs' full jitter over two periods,
 *    one not installed yet (the user has no provider) by the renewals' 1 min … 1 h; a busy server's Retry-After
 *    (HTTP 429/503, carried by PublicApiError) is a floor for the wait (`nextTiming`'s minWaitMs).
 * Fetched at once, whatever the due time: a source never fetched, and one whose policy entry changed (a new pin or
 * server) — those are the administrator's own push, paced by the deployment tool.
 */
export const RCCD_REFRESH_PERIOD_MS = 6 * 3_600_000;
/** A claimed refresh is another process's for this long (the fetch's own time-outs are well within it). */
const CLAIM_MS = 15 * 60_000;

export interface RefreshClock {
  now?: () => number;
  random?: Random;
}

const Entry = z.object({
  /** server, uid and pin as the policy names them: a changed entry is fetched at once. */
  entry: z.string(),
  dueAt: z.number(),
  failures: z.number(),
  lastError: z.optional(z.string()),
});
type Entry = z.infer<typeof Entry>;
const RefreshFile = z.record(z.string(), Entry);
type RefreshFile = z.infer<typeof RefreshFile>;

export const refreshFile = (home: string) => path.join(homeLayout(home).state, 'rccd-refresh.json');
const keyOf = (s: RemoteRccdSource) => `${s.server}\n${s.uid}`;
const entryOf = (s: RemoteRccdSource) => `${s.server}\n${s.uid}\n${s.sha256.replace(/[:\s]/g, '').toUpperCase()}`;
const read = (home: string): Promise<RefreshFile> => readStateFile(refreshFile(home), RefreshFile, {});

/** The refresh record of each source, for tests and `status`-like readers. */
export async function refreshRecord(home: string, source: RemoteRccdSource): Promise<Entry | undefined> {
  return (await read(home))[keyOf(source)];
}

/** When a source that has a record (or none) and is (or is not) installed is next fetched: now, or a later time. */
function decide(
  rec: Entry | undefined,
  source: RemoteRccdSource,
  installed: boolean,
  now: number,
  random: Random,
): { fetch: true } | { fetch: false; first?: number } {
  if (rec && rec.entry === entryOf(source)) return rec.dueAt <= now ? { fetch: true } : { fetch: false };
  if (!installed || rec) return { fetch: true }; // never fetched, or the administrator changed its entry
  // Installed by an agent that kept no due time (an update from a version without this file): spread, not now.
  return { fetch: false, first: scheduleAfter({ ok: true }, 0, true, now, random).dueAt };
}

/**
 * The next due time after a fetch: the scheduler's rule (fleet-policy.ts nextTiming) for a periodic job of period
 * RCCD_REFRESH_PERIOD_MS. `recovering`: the first fetch, or the first success after failures — re-spread over [P/2, P].
 */
export function scheduleAfter(
  result: { ok: true } | { ok: false; error: unknown; installed: boolean },
  failures: number,
  recovering: boolean,
  now: number,
  random: Random,
): { dueAt: number; failures: number } {
  if (result.ok) {
    const t = nextTiming(
      { status: 'done', ...periodicNext(now, RCCD_REFRESH_PERIOD_MS, recovering) },
      failures,
      now,
      DEFAULT_RETRY,
      random,
    );
    return { dueAt: t.dueAt!, failures: 0 };
  }
  const policy = result.installed ? periodicRetry(RCCD_REFRESH_PERIOD_MS) : DEFAULT_RETRY;
  const t = nextTiming({ status: 'retry', minWaitMs: retryAfterOf(result.error) }, failures, now, policy, random);
  return { dueAt: t.dueAt!, failures: t.failures };
}

/**
 * Which sources to fetch now; those are claimed (their due time moved CLAIM_MS on) under the home's state lock, so
 * the tray app and a daemon on one home do not both fetch. Sources no longer in the policy lose their record.
 */
export async function claimDueSources(
  home: string,
  sources: RemoteRccdSource[],
  isInstalled: (s: RemoteRccdSource) => Promise<boolean>,
  clock: RefreshClock = {},
): Promise<RemoteRccdSource[]> {
  const now = (clock.now ?? Date.now)();
  const random = clock.random ?? Math.random;
  return withStateLock(homeLayout(home).state, async () => {
    const before = await read(home);
    const after: RefreshFile = {};
    const due: RemoteRccdSource[] = [];
    for (const s of sources) {
      const rec = before[keyOf(s)];
      const d = decide(rec, s, await isInstalled(s), now, random);
      if (d.fetch) {
        due.push(s);
        after[keyOf(s)] = { entry: entryOf(s), dueAt: now + CLAIM_MS, failures: rec?.entry === entryOf(s) ? rec.failures : 0 };
      } else if (d.first !== undefined) after[keyOf(s)] = { entry: entryOf(s), dueAt: d.first, failures: 0 };
      else after[keyOf(s)] = rec!;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) await writeJsonAtomic(refreshFile(home), after);
    return due;
  });
}

/** After a claimed fetch: its next due time, from its outcome. */
export async function recordRefresh(
  home: string,
  source: RemoteRccdSource,
  result: { ok: true; first: boolean } | { ok: false; error: unknown; installed: boolean },
  clock: RefreshClock = {},
): Promise<void> {
  const now = (clock.now ?? Date.now)();
  const random = clock.random ?? Math.random;
  await withStateLock(homeLayout(home).state, async () => {
    const all = await read(home);
    const failures = all[keyOf(source)]?.failures ?? 0;
    const next = scheduleAfter(result, failures, result.ok && (result.first || failures > 0), now, random);
    all[keyOf(source)] = {
      entry: entryOf(source),
      ...next,
      ...(result.ok ? {} : { lastError: (result.error as Error).message }),
    };
    await writeJsonAtomic(refreshFile(home), all);
  });
}

/** Whether any source is due now (the watch's cheap check before it provisions again). */
export async function anyRefreshDue(home: string, sources: RemoteRccdSource[], now = Date.now()): Promise<boolean> {
  const all = await read(home);
  return sources.some((s) => {
    const rec = all[keyOf(s)];
    return !rec || rec.entry !== entryOf(s) || rec.dueAt <= now;
  });
}
