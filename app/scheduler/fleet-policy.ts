/**
 * Fleet safety: thousands of agents talk to one KeyTalk server, so no scheduled call may fire in lock-step.
 *
 * - Jitter: every scheduled network call is delayed by a uniform random amount in [0, J], never earlier than
 *   planned (a renewal must not start before its margin). J = min(10% of the job's period, 15 min) for periodic
 *   jobs (keep-alive, messages, disclaimer, seat templates); J = min(1% of the certificate lifetime, 15 min) for
 *   renewals; overdue jobs found at start-up are spread over [0, STARTUP_JITTER_MS].
 * - Back-off: failure n (1, 2, ...) waits d/2 + U(0, d/2) with d = min(cap, base × 2^(n−1)) ("equal jitter":
 *   never a zero wait, and retries of agents that failed together drift apart). Defaults: base 1 min, cap 1 h.
 *   A server-given wait (DELAY/LOCKED seconds) replaces the computed one, plus jitter.
 * The fleet simulation (fleet-simulation.ts) measures what this buys after a one-hour outage.
 */
export const MAX_JITTER_MS = 15 * 60_000;
export const PERIODIC_JITTER_FRACTION = 0.1;
export const RENEWAL_JITTER_FRACTION = 0.01;
export const STARTUP_JITTER_MS = 60_000;

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 60_000, capMs: 3_600_000 };

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
  return Math.floor(d / 2 + random() * (d / 2));
}
