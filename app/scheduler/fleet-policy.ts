/**
 * Fleet safety: thousands of agents talk to one KeyTalk server, so no scheduled call may fire in lock-step.
 *
 * - Jitter: every scheduled network call is delayed by a uniform random amount in [0, J], never earlier than
 *   planned (a renewal must not start before its margin). J = min(10% of the job's period, 15 min) for periodic
 *   jobs (keep-alive, messages, disclaimer, seat templates; also the policy's rccd?uid refresh,
 *   app/policy/rccd-refresh.ts); J = min(1% of the certificate lifetime, 15 min) for renewals; overdue jobs found at
 *   start-up are spread over [0, STARTUP_JITTER_MS].
 * - Back-off: failure n (1, 2, ...) waits d/2 + U(0, d/2) with d = min(cap, base × 2^(n−1)) ("equal jitter":
 *   never a zero wait, and retries of agents that failed together drift apart). Defaults: base 1 min, cap 1 h.
 *   Periodic jobs use full jitter over two periods instead (periodicRetry).
 *   A server-given wait (DELAY/LOCKED seconds, approval polling) replaces the computed one, plus jitter; a busy
 *   server's Retry-After (429/503) is a floor: the wait is max(back-off, Retry-After), the header capped at 1 h.
 * The fleet simulation (test-support/scheduler/fleet-simulation.ts) measures what this buys after a one-hour
 * outage: peak ≤ 2 × the steady mean (fleet-simulation.test.ts, `npm run bench -- fleet`).
 */
export const MAX_JITTER_MS = 15 * 60_000;
export const PERIODIC_JITTER_FRACTION = 0.1;
export const RENEWAL_JITTER_FRACTION = 0.01;
export const STARTUP_JITTER_MS = 60_000;

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /**
   * 'equal' (default): wait in [d/2, d], never zero — for renewals, where a prompt retry matters.
   * 'full': wait in [0, d] — for periodic jobs, which can wait: a fleet that failed together is spread evenly.
   */
  jitter?: 'equal' | 'full';
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 60_000, capMs: 3_600_000 };

/**
 * Periodic jobs (keep-alive, messages, disclaimer, seat templates) are the bulk of fleet traffic and can wait.
 * A failed run is retried after U(0, 2P) — full jitter over two periods, so on average once per period: a fleet
 * that fails together (every agent, in an outage as long as the period) never sends faster than a healthy one,
 * and its backlog of one period's calls is spread over the two periods after the server returns instead of
 * arriving at once. Exponential back-off with a short base did the opposite: agents that had just failed retried
 * within minutes, and at the outage's end 3.7–4.1 × the mean rate arrived (the recovery window is the price:
 * every agent is back within 2P, see fleet-simulation.test.ts).
 */
export function periodicRetry(periodMs: number): RetryPolicy {
  return { baseMs: 2 * periodMs, capMs: 2 * periodMs, jitter: 'full' };
}

/**
 * Next run of a periodic job. After a failure streak the next run is re-spread over [P/2, P] instead of
 * P + small jitter: agents that recovered together in the minutes after an outage would otherwise come back
 * together one period later, and the next, with only 10% jitter to pull them apart.
 */
export function periodicNext(now: number, periodMs: number, recovering: boolean): { nextDueAt: number; jitterMs: number } {
  return recovering
    ? { nextDueAt: now + periodMs / 2, jitterMs: periodMs / 2 }
    : { nextDueAt: now + periodMs, jitterMs: periodicJitterBound(periodMs) };
}

export type Random = () => number;

/** Jitter bound for a job that repeats every `periodMs`. */
export function periodicJitterBound(periodMs: number): number {
  return Math.min(MAX_JITTER_MS, Math.max(0, periodMs * PERIODIC_JITTER_FRACTION));
}

/** Jitter bound for the renewal of a certificate with this lifetime. */
export function renewalJitterBound(lifetimeMs: number): number {
  return Math.min(MAX_JITTER_MS, Math.max(0, lifetimeMs * RENEWAL_JITTER_FRACTION));
}

export function jitter(boundMs: number, random: Random): number {
  return Math.floor(random() * Math.max(0, boundMs));
}

/** Wait before retry number `failures` (1 = first failure). */
export function backoffDelay(failures: number, policy: RetryPolicy, random: Random): number {
  const exp = Math.min(30, Math.max(0, failures - 1));
  const d = Math.min(policy.capMs, policy.baseMs * 2 ** exp);
  if (policy.jitter === 'full') return Math.floor(random() * d);
  return Math.floor(d / 2 + random() * (d / 2));
}

/** What the scheduler does with a job outcome: the one rule both the Scheduler and the fleet simulation use. */
export type TimingOutcome =
  | { status: 'done'; nextDueAt?: number; jitterMs?: number }
  | { status: 'retry'; retryAfterMs?: number; jitterMs?: number; countsAsFailure?: boolean; minWaitMs?: number };

export function nextTiming(
  outcome: TimingOutcome,
  failures: number,
  now: number,
  policy: RetryPolicy,
  random: Random,
): { dueAt: number | undefined; failures: number } {
  if (outcome.status === 'done') {
    if (outcome.nextDueAt === undefined) return { dueAt: undefined, failures: 0 };
    return { dueAt: Math.max(outcome.nextDueAt, now) + jitter(outcome.jitterMs ?? 0, random), failures: 0 };
  }
  const f = outcome.countsAsFailure === false ? failures : failures + 1;
  const wait =
    outcome.retryAfterMs !== undefined
      ? outcome.retryAfterMs + jitter(outcome.jitterMs ?? Math.min(outcome.retryAfterMs * 0.1, 60_000), random)
      : backoffDelay(Math.max(1, f), policy, random);
  // A busy server (429/503 Retry-After) is never asked again sooner than it said, whatever our own back-off.
  return { dueAt: now + Math.max(wait, outcome.minWaitMs ?? 0), failures: f };
}
