import { performance } from 'node:perf_hooks';
// zod/mini, the tree-shakeable build: the idle daemon loads only the few validators it uses (issue 7's < 60 MB).
import * as z from 'zod/mini';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { describeZodIssue } from '../system/describe-zod-issue';
import { systemClock, type Clock, type TimerHandle } from '../system/clock';
import { DEFAULT_RETRY, jitter, nextTiming, STARTUP_JITTER_MS, type Random, type RetryPolicy } from './fleet-policy';

/**
 * One scheduler per agent. It keeps the next due time of every job on disk (<home>/state/schedule.json,
 * written atomically), so a restart resumes where it stopped. Only the NEXT due time is stored, never a list
 * of occurrences: a job missed while the agent was off is simply overdue and runs once at start-up.
 *
 * Timing: one timer for the earliest due job, never longer than `tickMs` (1 min). Each wake-up compares the
 * wall clock with the monotonic clock: Node timers count monotonic time, which stops during suspend, so after
 * sleep a timer alone would fire hours late. A wall/monotonic drift (sleep, NTP step, manual change) or a
 * time-zone change triggers `recheck`, which re-evaluates every due time against the wall clock. Electron's
 * powerMonitor (resume, unlock-screen) calls `recheck(reason)` directly. node-schedule is not used: every job
 * here is "at epoch time T" (UTC) or "every N seconds", not a calendar rule, and its timers share the
 * sleep problem above.
 *
 * Jobs are persisted records plus a handler per kind (registered by the agent at start, since functions are
 * not persisted). A handler returns when to run next; a throw or a 'retry' outcome backs off exponentially.
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
  /** Why it is due when it is (shown in UI/CLI). */
  reason: z.optional(z.string()),
  /** Set while a run is in flight; still set at start-up means the previous process died mid-run. */
  runningSince: z.optional(z.number()),
  data: z._default(z.record(z.string(), z.unknown()), {}),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

const StateFileSchema = z.object({ version: z.literal(1), jobs: z.array(JobRecordSchema) });

export type JobOutcome =
  | {
      status: 'done';
      /** Next run (epoch ms, before jitter); omit to remove the job (one-shot). */
      nextDueAt?: number;
      /** Upper bound of the random delay added to nextDueAt (see fleet-policy.ts). */
      jitterMs?: number;
      reason?: string;
      data?: Record<string, unknown>;
    }
  | {
      /** Not done; try again. Without retryAfterMs the kind's exponential back-off applies. */
      status: 'retry';
      error: string;
      retryAfterMs?: number;
      jitterMs?: number;
      reason?: string;
      data?: Record<string, unknown>;
      /** False when the retry is expected (waiting for the user) rather than a failure: failures stay. */
      countsAsFailure?: boolean;
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

export interface SchedulerOptions {
  stateFile: string;
  clock?: Clock;
  /** Monotonic milliseconds (performance.now); tests pass one that ignores simulated wall-clock jumps. */
  monotonicNow?: () => number;
  random?: Random;
  log?: SchedulerLog;
  retry?: Partial<Record<string, RetryPolicy>>;
  /** Longest sleep between wake-ups (drift/time-zone detection granularity). */
  tickMs?: number;
  /** Wall-vs-monotonic difference that counts as a clock jump. */
  driftThresholdMs?: number;
  /** Overdue jobs found at start are spread over [0, this]. */
  startupJitterMs?: number;
  /** Time zone probe (tests change it). */
  timeZone?: () => string;
}

export interface JobSpec {
  id: string;
  kind: string;
  dueAt: number;
  reason?: string;
  data?: Record<string, unknown>;
}

export type SchedulerEvent =
  | { type: 'job-done'; job: JobRecord }
  | { type: 'job-failed'; job: JobRecord; error: string }
  | { type: 'recheck'; reason: string };

export class Scheduler {
  private readonly clock: Clock;
  private readonly mono: () => number;
  private readonly random: Random;
  private readonly log: SchedulerLog;
  private readonly tickMs: number;
  private readonly driftThresholdMs: number;
  private readonly startupJitterMs: number;
  private readonly timeZone: () => string;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(e: SchedulerEvent) => void>();
  private timer: TimerHandle | undefined;
  private started = false;
  private stopping = false;
  private abort = new AbortController();
  private writeChain: Promise<void> = Promise.resolve();
  private lastWall = 0;
  private lastMono = 0;
  private lastZone = '';

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.mono = options.monotonicNow ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    this.tickMs = options.tickMs ?? 60_000;
    this.driftThresholdMs = options.driftThresholdMs ?? 5_000;
    this.startupJitterMs = options.startupJitterMs ?? STARTUP_JITTER_MS;
    // The UTC offset is what moves wall-clock times; TZ is how a zone is changed for a running Node process
    // (Node re-reads the zone when process.env.TZ is assigned). Not Intl.DateTimeFormat: it pulls ICU's locale and
    // zone data into memory (~8 MB RSS measured) on every process, for a name that changes nothing by itself.
    this.timeZone = options.timeZone ?? (() => `${process.env.TZ ?? ''}/${new Date(this.clock.now()).getTimezoneOffset()}`);
  }

  /** Register the code for a kind of job. Register before start() so overdue jobs can run. */
  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
    if (this.started) this.arm();
  }

  on(listener: (e: SchedulerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Load the persisted schedule and start timing. Overdue jobs (missed while off) run once, spread a little. */
  async start(): Promise<void> {
    if (this.started) return;
    const raw = await readJsonFile<unknown>(this.options.stateFile, { version: 1, jobs: [] });
    const parsed = StateFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(
        `${this.options.stateFile} is not a schedule file (${describeZodIssue(parsed.error.issues[0])}); move it aside and the agent rebuilds the schedule from its certificates`,
      );
    }
    const now = this.clock.now();
    for (const job of parsed.data.jobs) {
      if (job.runningSince !== undefined) {
        this.log('warn', 'job-interrupted', { id: job.id, kind: job.kind, since: new Date(job.runningSince).toISOString() });
        delete job.runningSince;
      }
      if (job.dueAt <= now) {
        const missedBy = now - job.dueAt;
        job.dueAt = now + jitter(this.startupJitterMs, this.random);
        this.log('info', 'job-overdue-at-start', { id: job.id, kind: job.kind, missedByMs: missedBy });
      }
      this.jobs.set(job.id, job);
    }
    this.started = true;
    this.stopping = false;
    this.abort = new AbortController();
    this.lastWall = now;
    this.lastMono = this.mono();
    this.lastZone = this.timeZone();
    await this.persist();
    this.arm();
  }

  /** Stop timers, tell running jobs to give up, and wait for the last state write. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
    await this.writeChain;
    this.started = false;
  }

  /** Add a job unless it exists; an existing job keeps its due time and failure count (restart resumes). */
  async ensure(spec: JobSpec): Promise<JobRecord> {
    const existing = this.jobs.get(spec.id);
    if (existing) {
      if (spec.data) existing.data = { ...existing.data, ...spec.data };
      if (spec.reason && existing.failures === 0) existing.reason = spec.reason;
      await this.persist();
      return { ...existing };
    }
    return this.set(spec);
  }

  /** Add or replace a job's due time (e.g. a certificate was renewed, the server margin changed). */
  async set(spec: JobSpec): Promise<JobRecord> {
    const prev = this.jobs.get(spec.id);
    const job: JobRecord = {
      id: spec.id,
      kind: spec.kind,
      dueAt: spec.dueAt,
      failures: 0,
      reason: spec.reason,
      data: { ...(prev?.data ?? {}), ...(spec.data ?? {}) },
      lastRunAt: prev?.lastRunAt,
      lastSuccessAt: prev?.lastSuccessAt,
    };
    this.jobs.set(spec.id, job);
    await this.persist();
    this.arm();
    return { ...job };
  }

  async remove(id: string): Promise<void> {
    if (this.jobs.delete(id)) {
      await this.persist();
      this.arm();
    }
  }

  /** Run a job now regardless of its due time (renew --force, "check now"); resolves when it finished. */
  async runNow(id: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no scheduled job "${id}"; see \`keytalk-agent status\` for the job list`);
    const inflight = this.running.get(id);
    if (inflight) await inflight;
    else await this.run(job);
    const after = this.jobs.get(id);
    return after ? { ...after } : undefined;
  }

  get(id: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job, runningSince: this.running.has(id) ? job.runningSince : undefined } : undefined;
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].map((j) => ({ ...j })).sort((a, b) => a.dueAt - b.dueAt);
  }

  /**
   * Re-check every due time against the wall clock now (resume from sleep, unlock, clock or time-zone change).
   * Overdue jobs start immediately; the others get a fresh timer.
   */
  recheck(reason: string): void {
    if (!this.started || this.stopping) return;
    this.log('info', 'recheck', { reason });
    this.emit({ type: 'recheck', reason });
    this.lastWall = this.clock.now();
    this.lastMono = this.mono();
    this.lastZone = this.timeZone();
    this.wake(false);
  }

  /** Wait until no job is running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private arm(): void {
    if (!this.started || this.stopping) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    const now = this.clock.now();
    let next = Infinity;
    for (const job of this.jobs.values()) {
      if (!this.running.has(job.id) && this.handlers.has(job.kind)) next = Math.min(next, job.dueAt);
    }
    const delay = Math.max(0, Math.min(next - now, this.tickMs));
    this.timer = this.clock.setTimeout(() => this.wake(true), delay);
  }

  private wake(fromTimer: boolean): void {
    if (!this.started || this.stopping) return;
    this.timer = undefined;
    if (fromTimer) this.detectClockChange();
    const now = this.clock.now();
    for (const job of this.jobs.values()) {
      if (job.dueAt <= now && !this.running.has(job.id) && this.handlers.has(job.kind)) void this.run(job);
    }
    this.arm();
  }

  private detectClockChange(): void {
    const wall = this.clock.now();
    const mono = this.mono();
    const drift = wall - this.lastWall - (mono - this.lastMono);
    this.lastWall = wall;
    this.lastMono = mono;
    const zone = this.timeZone();
    if (Math.abs(drift) > this.driftThresholdMs) {
      const reason = drift > 0 ? 'wall clock jumped forward (resume from sleep or clock set)' : 'wall clock jumped back';
      this.log('info', 'clock-jump', { driftMs: Math.round(drift) });
      this.emit({ type: 'recheck', reason });
    }
    if (zone !== this.lastZone) {
      this.log('info', 'time-zone-change', { from: this.lastZone, to: zone });
      this.lastZone = zone;
      this.emit({ type: 'recheck', reason: 'time-zone change' });
    }
    // The caller (wake) re-evaluates every due time against the wall clock right after this, which is the
    // recheck itself; here we only record why.
  }

  private run(job: JobRecord): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return Promise.resolve();
    const p = this.execute(job, handler)
      .catch((err: unknown) => this.log('error', 'job-crashed', { id: job.id, error: (err as Error).message }))
      .finally(() => {
        this.running.delete(job.id);
        this.arm();
      });
    this.running.set(job.id, p);
    return p;
  }

  private async execute(job: JobRecord, handler: JobHandler): Promise<void> {
    const startedAt = this.clock.now();
    job.runningSince = startedAt;
    job.lastRunAt = startedAt;
    await this.persist();
    this.log('debug', 'job-start', { id: job.id, kind: job.kind });
    let outcome: JobOutcome;
    try {
      outcome = await handler({ ...job, data: { ...job.data } }, { now: startedAt, signal: this.abort.signal });
    } catch (err) {
      outcome = { status: 'retry', error: (err as Error).message ?? String(err) };
    }
    if (this.stopping) {
      // Shutdown interrupted the run: keep the due time so the next start runs it again (once).
      delete job.runningSince;
      await this.persist();
      return;
    }
    const now = this.clock.now();
    delete job.runningSince;
    if (!this.jobs.has(job.id) || this.jobs.get(job.id) !== job) {
      // Removed or replaced (set()) while it ran: the newer record wins.
      await this.persist();
      return;
    }
    if (outcome.data) job.data = { ...job.data, ...outcome.data };
    if (outcome.status === 'done') {
      job.failures = 0;
      job.lastSuccessAt = now;
      delete job.lastError;
      if (outcome.reason) job.reason = outcome.reason;
      const t = nextTiming(outcome, job.failures, now, DEFAULT_RETRY, this.random);
      if (t.dueAt === undefined) this.jobs.delete(job.id);
      else job.dueAt = t.dueAt;
      this.log('info', 'job-done', {
        id: job.id,
        kind: job.kind,
        next: outcome.nextDueAt === undefined ? null : new Date(job.dueAt).toISOString(),
      });
      await this.persist();
      this.emit({ type: 'job-done', job: { ...job } });
      return;
    }
    const counts = outcome.countsAsFailure !== false;
    job.lastError = outcome.error;
    if (outcome.reason) job.reason = outcome.reason;
    const t = nextTiming(outcome, job.failures, now, this.options.retry?.[job.kind] ?? DEFAULT_RETRY, this.random);
    job.failures = t.failures;
    job.dueAt = t.dueAt ?? now;
    this.log(counts ? 'warn' : 'info', counts ? 'job-failed' : 'job-waiting', {
      id: job.id,
      kind: job.kind,
      error: outcome.error,
      failures: job.failures,
      retryAt: new Date(job.dueAt).toISOString(),
    });
    await this.persist();
    this.emit({ type: 'job-failed', job: { ...job }, error: outcome.error });
  }

  private emit(e: SchedulerEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log('error', 'listener-failed', { error: (err as Error).message });
      }
    }
  }

  /** Serialized so two jobs finishing together never interleave writes; each write is atomic. */
  private persist(): Promise<void> {
    const snapshot = { version: 1 as const, jobs: [...this.jobs.values()].map((j) => ({ ...j })) };
    this.writeChain = this.writeChain
      .catch(() => {})
      .then(() => writeJsonAtomic(this.options.stateFile, snapshot))
      .catch((err: unknown) => {
        this.log('error', 'schedule-write-failed', { file: this.options.stateFile, error: (err as Error).message });
        throw err;
      });
    return this.writeChain;
  }
}
