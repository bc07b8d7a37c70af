import type { Clock } from '../system/clock';
import { retryAfterOf } from '../system/retry-after';
import type { JobHandler, JobOutcome, JobRecord } from './job';

/**
 * Every scheduler job runs against a deadline (issue 22). A handler gets an AbortSignal that fires when the
 * scheduler stops (SIGTERM) or when the job's time is up; a handler that honours it ends at once, and one that does
 * not is no longer waited for: the run counts as failed and backs off like any other failure, so a hung server, a
 * stuck tool or a bug in one job can neither block the scheduler nor keep the daemon from stopping.
 *
 * The deadline uses the scheduler's clock (fake clocks in tests and the soak advance it like every other timer).
 */

/** Default time a job may take: generous for a network round trip with retries, short against a hang. */
export const DEFAULT_JOB_DEADLINE_MS = 5 * 60_000;

/**
 * Renewals run a whole enrollment (hello with retries, authentication, issue, key generation, store imports), so
 * they get longer; still bounded, so a renewal stuck on a dripping server is retried with back-off.
 */
export const RENEWAL_JOB_DEADLINE_MS = 15 * 60_000;

export class JobDeadlineError extends Error {
  constructor(
    readonly kind: string,
    readonly ms: number,
  ) {
    super(`${kind} job did not finish within ${describeMs(ms)}; it was stopped and will be retried with back-off`);
    this.name = 'JobDeadlineError';
  }
}

export interface DeadlineRun {
  /** The handler's outcome, or a retry outcome with `timedOut` when the deadline passed first. */
  result: Promise<{ outcome: JobOutcome; timedOut: boolean }>;
  /** Settles when the handler itself has returned (later than `outcome` for a handler that ignored the signal). */
  settled: Promise<void>;
}

/**
 * Run `handler` for `job` with a signal aborted by `parent` (scheduler stop) or after `ms` on `clock`.
 * A handler's throw becomes a 'retry' outcome, as before; the deadline becomes one too (a failure, backed off).
 */
export function runWithDeadline(
  handler: JobHandler,
  job: Readonly<JobRecord>,
  now: number,
  parent: AbortSignal,
  clock: Clock,
  ms: number,
): DeadlineRun {
  const ctrl = new AbortController();
  const onParent = () => ctrl.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  let expire: (o: JobOutcome) => void = () => {};
  const late = new Promise<JobOutcome>((resolve) => (expire = resolve)).then((outcome) => ({ outcome, timedOut: true }));
  const timer = clock.setTimeout(() => {
    const err = new JobDeadlineError(job.kind, ms);
    ctrl.abort(err);
    expire({ status: 'retry', error: err.message });
  }, ms);
  const own = Promise.resolve()
    .then(() => handler({ ...job, data: { ...job.data } }, { now, signal: ctrl.signal }))
    .catch((err: unknown): JobOutcome => ({
      status: 'retry',
      error: (err as Error)?.message ?? String(err),
      minWaitMs: retryAfterOf(err),
    }));
  const settled = own.then(
    () => {
      clock.clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
    () => undefined,
  );
  return { result: Promise.race([own.then((outcome) => ({ outcome, timedOut: false })), late]), settled };
}

function describeMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${ms} ms`;
}
