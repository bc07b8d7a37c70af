// zod/mini, the tree-shakeable build: the idle daemon loads only the few validators it uses (issue 7's < 60 MB).
import * as z from 'zod/mini';
import type { CodedText } from '../model/core-text';
import { StoredText } from '../model/core-text-stored';
import { nextTiming, type Random, type RetryPolicy } from './fleet-policy';

/**
 * A scheduled job as the scheduler stores it, what its handler returns, and what that outcome does to the
 * record. Jobs are persisted records plus a handler per kind (registered by the agent at start, since functions
 * are not persisted). A handler returns when to run next; a throw or a 'retry' outcome backs off exponentially.
 */

export const JobRecordSchema = z.object({
  id: z.string(),
  kind: z.string(),
  dueAt: z.number(),
  /** Consecutive failures (0 after a success). */
  failures: z._default(z.number(), 0),
  lastRunAt: z.optional(z.number()),
  lastSuccessAt: z.optional(z.number()),
  lastError: z.optional(z.string()),
  /**
   * lastError as a coded text the UI shows in the user's language. Optional, so schedule files written before it
   * stay valid; a value that does not fit is dropped and the English lastError shown instead (core-text-stored.ts).
   */
  lastErrorText: z.catch(z.optional(StoredText), undefined),
  /** Why it is due when it is (shown in UI/CLI). */
  reason: z.optional(z.string()),
  /** reason as a coded text, like lastErrorText (optional: older files stay valid; a bad value is dropped). */
  reasonText: z.catch(z.optional(StoredText), undefined),
  /** Set while a run is in flight; still set at start-up means the previous process died mid-run. */
  runningSince: z.optional(z.number()),
  data: z._default(z.record(z.string(), z.unknown()), {}),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export interface JobSpec {
  id: string;
  kind: string;
  dueAt: number;
  reason?: string;
  /** `reason` as a coded text for the UI (app/model/core-text.ts). */
  reasonText?: CodedText;
  data?: Record<string, unknown>;
}

export type JobOutcome =
  | {
      status: 'done';
      /** Next run (epoch ms, before jitter); omit to remove the job (one-shot). */
      nextDueAt?: number;
      /** Upper bound of the random delay added to nextDueAt (see fleet-policy.ts). */
      jitterMs?: number;
      reason?: string;
      reasonText?: CodedText;
      data?: Record<string, unknown>;
    }
  | {
      /** Not done; try again. Without retryAfterMs the kind's exponential back-off applies. */
      status: 'retry';
      error: string;
      /** `error` (or the part of it that is the core's sentence) as a coded text, for the UI. */
      errorText?: CodedText;
      retryAfterMs?: number;
      jitterMs?: number;
      reason?: string;
      reasonText?: CodedText;
      data?: Record<string, unknown>;
      /** False when the retry is expected (waiting for the user) rather than a failure: failures stay. */
      countsAsFailure?: boolean;
      /** A busy server's Retry-After: the wait is the longer of this and the computed back-off. */
      minWaitMs?: number;
    };

export interface JobContext {
  now: number;
  /** Aborted when the scheduler stops (SIGTERM): finish or give up quickly, state is kept. */
  signal: AbortSignal;
}

export type JobHandler = (job: Readonly<JobRecord>, ctx: JobContext) => Promise<JobOutcome>;

export interface SchedulerLog {
  (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>): void;
}

export type SchedulerEvent =
  | { type: 'job-done'; job: JobRecord }
  | { type: 'job-failed'; job: JobRecord; error: string }
  | { type: 'recheck'; reason: string };

/**
 * Record a finished run on its job: data merged, success or failure counted, next due time from the one timing
 * rule (fleet-policy.ts `nextTiming`). Returns `remove` for a one-shot job that is done (no next run).
 * `retry` is the kind's back-off; a success never backs off, so it is not consulted then.
 */
export function applyOutcome(
  job: JobRecord,
  outcome: JobOutcome,
  now: number,
  retry: RetryPolicy,
  random: Random,
): { remove: boolean } {
  if (outcome.data) job.data = { ...job.data, ...outcome.data };
  if (outcome.reason) Object.assign(job, reasonOf(outcome));
  if (outcome.status === 'done') {
    job.failures = 0;
    job.lastSuccessAt = now;
    delete job.lastError;
    delete job.lastErrorText;
    const t = nextTiming(outcome, job.failures, now, retry, random);
    if (t.dueAt === undefined) return { remove: true };
    job.dueAt = t.dueAt;
    return { remove: false };
  }
  job.lastError = outcome.error;
  const text = outcome.errorText && StoredText.safeParse(outcome.errorText);
  if (text?.success) job.lastErrorText = text.data;
  else delete job.lastErrorText;
  const t = nextTiming(outcome, job.failures, now, retry, random);
  job.failures = t.failures;
  job.dueAt = t.dueAt ?? now;
  return { remove: false };
}

/**
 * A new reason with its coded text, for Object.assign onto a job: a reason given without one (or with one that does
 * not fit the stored shape) clears the old code, so the UI never shows the translation of a previous reason.
 */
export function reasonOf(from: { reason?: string; reasonText?: CodedText }): Pick<JobRecord, 'reason' | 'reasonText'> {
  const text = from.reasonText && StoredText.safeParse(from.reasonText);
  return { reason: from.reason, reasonText: text?.success ? text.data : undefined };
}
