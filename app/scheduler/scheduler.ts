import { performance } from 'node:perf_hooks';
import { textOf } from '../model/core-text';
import { systemClock, type Clock, type TimerHandle } from '../system/clock';
import { ClockWatch, systemTimeZone } from './clock-watch';
import { DEFAULT_RETRY, jitter, STARTUP_JITTER_MS, type Random, type RetryPolicy } from './fleet-policy';
import {
  applyOutcome,
  reasonOf,
  type JobHandler,
  type JobOutcome,
  type JobRecord,
  type JobSpec,
  type SchedulerEvent,
  type SchedulerLog,
} from './job';
import { DEFAULT_JOB_DEADLINE_MS, runWithDeadline } from './job-deadline';
import { RunOutcomes } from './run-outcomes';
import { ScheduleWriter } from './schedule-file';

// The job vocabulary lives in job.ts; importers keep getting it from here.
export { JobRecordSchema } from './job';
export type { JobContext, JobHandler, JobOutcome, JobRecord, JobSpec, SchedulerEvent, SchedulerLog } from './job';

/**
 * One scheduler per agent. It keeps the next due time of every job on disk (<home>/state/schedule.json,
 * schedule-file.ts), so a restart resumes where it stopped. Only the NEXT due time is stored, never a list
 * of occurrences: a job missed while the agent was off is simply overdue and runs once at start-up.
 *
 * Timing: one timer for the earliest due job, never longer than `tickMs` (1 min). Each wake-up compares the
 * wall clock with the monotonic clock (clock-watch.ts): Node timers count monotonic time, which stops during
 * suspend, so after sleep a timer alone would fire hours late. A wall/monotonic drift (sleep, NTP step, manual
 * change) or a time-zone change triggers a recheck, which re-evaluates every due time against the wall clock.
 * Electron's powerMonitor (resume, unlock-screen) calls `recheck(reason)` directly. node-schedule is not used:
 * every job here is "at epoch time T" (UTC) or "every N seconds", not a calendar rule, and its timers share the
 * sleep problem above.
 *
 * Handlers are registered per kind (job.ts); a handler returns when to run next, a throw or a 'retry' outcome
 * backs off exponentially (fleet-policy.ts).
 */

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
  /** Longest run per job kind (job-deadline.ts); others get DEFAULT_JOB_DEADLINE_MS. */
  deadlines?: Partial<Record<string, number>>;
  /** How long stop() waits for running jobs after telling them to give up (default 5 s). */
  stopGraceMs?: number;
}

export class Scheduler {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly log: SchedulerLog;
  private readonly tickMs: number;
  private readonly startupJitterMs: number;
  private readonly watch: ClockWatch;
  private readonly file: ScheduleWriter;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, Promise<void>>();
  /**
   * Handlers whose run passed its deadline but that have not returned yet (they ignored the abort). The job is not
   * started again until its old handler is gone: two renewals of one certificate must never overlap.
   */
  private readonly abandoned = new Map<string, Promise<void>>();
  private readonly outcomes = new RunOutcomes();
  private loaded = false;
  private readonly listeners = new Set<(e: SchedulerEvent) => void>();
  private timer: TimerHandle | undefined;
  private started = false;
  private stopping = false;
  private abort = new AbortController();

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    this.tickMs = options.tickMs ?? 60_000;
    this.startupJitterMs = options.startupJitterMs ?? STARTUP_JITTER_MS;
    this.watch = new ClockWatch(
      this.clock,
      options.monotonicNow ?? (() => performance.now()),
      options.timeZone ?? systemTimeZone(this.clock),
      options.driftThresholdMs ?? 5_000,
      this.log,
    );
    this.file = new ScheduleWriter(options.stateFile, (err) =>
      this.log('error', 'schedule-write-failed', { file: options.stateFile, error: err.message }),
    );
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
    await this.load();
    const now = this.clock.now();
    for (const job of this.jobs.values()) {
      if (job.runningSince !== undefined) {
        this.log('warn', 'job-interrupted', { id: job.id, kind: job.kind, since: new Date(job.runningSince).toISOString() });
        delete job.runningSince;
        // The previous process died mid-run (e.g. a renewal between issue and switch-over): finish it now, as an
        // overdue job, not at its next due time.
        job.dueAt = Math.min(job.dueAt, now);
      }
      if (job.dueAt <= now) {
        const missedBy = now - job.dueAt;
        job.dueAt = now + jitter(this.startupJitterMs, this.random);
        this.log('info', 'job-overdue-at-start', { id: job.id, kind: job.kind, missedByMs: missedBy });
      }
    }
    this.started = true;
    this.stopping = false;
    this.abort = new AbortController();
    this.watch.reset();
    await this.persist();
    this.arm();
  }

  /**
   * Read the persisted jobs without running anything (once). start() does it; a one-shot command that only adds
   * jobs (`enroll` registering its certificate) calls it alone, changes jobs, then stop() to wait for the write.
   */
  async load(): Promise<void> {
    if (this.loaded) return;
    await this.file.load(this.jobs);
    this.loaded = true;
  }

  /** What the job's last run (in this process) returned, if it ran. */
  lastOutcome(id: string): JobOutcome | undefined {
    return this.outcomes.last(id);
  }

  /** Every job that ran in this process with what its last run returned (the job as it was when it ran). */
  finishedRuns(): { job: JobRecord; outcome: JobOutcome }[] {
    return this.outcomes.all();
  }

  /**
   * Stop timers, tell running jobs to give up, and wait for the last state write. Safe to call twice.
   * A job that does not give up within `stopGraceMs` is not waited for: SIGTERM must stop the daemon within
   * seconds, and such a job's record still says `runningSince`, so the next start runs it again (once).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    let grace: TimerHandle | undefined;
    await Promise.race([
      Promise.allSettled([...this.running.values()]),
      new Promise<void>((resolve) => (grace = this.clock.setTimeout(resolve, this.options.stopGraceMs ?? 5_000))),
    ]);
    if (grace) this.clock.clearTimeout(grace);
    for (const id of this.running.keys()) this.log('warn', 'job-not-stopped', { id });
    await this.file.settled();
    this.started = false;
  }

  /** Add a job unless it exists; an existing job keeps its due time and failure count (restart resumes). */
  async ensure(spec: JobSpec): Promise<JobRecord> {
    const existing = this.jobs.get(spec.id);
    if (existing) {
      if (spec.data) existing.data = { ...existing.data, ...spec.data };
      if (spec.reason && existing.failures === 0) Object.assign(existing, reasonOf(spec));
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
      ...reasonOf(spec),
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
    else await this.run(job, true);
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
    this.watch.reset();
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
      if (this.runnable(job)) next = Math.min(next, job.dueAt);
    }
    const delay = Math.max(0, Math.min(next - now, this.tickMs));
    this.timer = this.clock.setTimeout(() => this.wake(true), delay);
  }

  private wake(fromTimer: boolean): void {
    if (!this.started || this.stopping) return;
    this.timer = undefined;
    // A clock jump or zone change seen on a timer wake-up: the loop below, which compares every due time with the
    // wall clock, is the recheck itself; the event only says why.
    if (fromTimer) for (const reason of this.watch.changes()) this.emit({ type: 'recheck', reason });
    const now = this.clock.now();
    for (const job of this.jobs.values()) {
      if (job.dueAt <= now && this.runnable(job)) void this.run(job);
    }
    this.arm();
  }

  private runnable(job: JobRecord): boolean {
    return !this.running.has(job.id) && !this.abandoned.has(job.id) && this.handlers.has(job.kind);
  }

  /** `explicit`: runNow (renew --force, "check now"), which runs the job whether it is due or not. */
  private run(job: JobRecord, explicit = false): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return Promise.resolve();
    const p = this.execute(job, handler, explicit)
      .catch((err: unknown) => this.crashed(job, err as Error))
      .finally(() => {
        this.running.delete(job.id);
        this.arm();
      });
    this.running.set(job.id, p);
    return p;
  }

  /**
   * The run itself failed (typically the state write: disk full, read-only home). The job is still due, so
   * without this it would be re-armed at once and hot-loop (thousands of failed writes a second): it backs off
   * like a failed run. The next write may fail too; the in-memory due time holds the back-off regardless.
   */
  private crashed(job: JobRecord, err: Error): void {
    this.log('error', 'job-crashed', { id: job.id, error: err.message });
    delete job.runningSince;
    if (this.stopping || this.jobs.get(job.id) !== job) return;
    const retry = this.options.retry?.[job.kind] ?? DEFAULT_RETRY;
    applyOutcome(job, { status: 'retry', error: err.message, errorText: textOf(err) }, this.clock.now(), retry, this.random);
    this.persist().catch(() => undefined);
  }

  private async execute(job: JobRecord, handler: JobHandler, explicit: boolean): Promise<void> {
    // Another process may have run, rescheduled or removed this job since this one read the schedule (a CLI
    // `renew` while the daemon's timer was armed): run only what is still there and still due.
    await this.file.refresh(this.jobs);
    if (this.jobs.get(job.id) !== job || (!explicit && job.dueAt > this.clock.now())) return;
    const startedAt = this.clock.now();
    job.runningSince = startedAt;
    job.lastRunAt = startedAt;
    await this.persist();
    this.log('debug', 'job-start', { id: job.id, kind: job.kind });
    const deadline = this.options.deadlines?.[job.kind] ?? DEFAULT_JOB_DEADLINE_MS;
    const run = runWithDeadline(handler, job, startedAt, this.abort.signal, this.clock, deadline);
    const { outcome, timedOut } = await run.result;
    if (timedOut) {
      // The deadline won: record the failure now, and keep the job from starting again until the old run is gone.
      this.log('error', 'job-deadline', { id: job.id, kind: job.kind, deadlineMs: deadline });
      const id = job.id;
      this.abandoned.set(
        id,
        run.settled.then(() => {
          this.abandoned.delete(id);
          this.log('info', 'job-returned-after-deadline', { id });
          this.arm();
        }),
      );
    }
    this.outcomes.record(job, outcome, (id) => this.jobs.has(id));
    if (this.stopping) {
      // Shutdown interrupted the run: keep the due time so the next start runs it again (once).
      delete job.runningSince;
      await this.persist();
      return;
    }
    const now = this.clock.now();
    delete job.runningSince;
    const current = this.jobs.get(job.id);
    if (!current) {
      // Removed while it ran: stays removed.
      await this.persist();
      return;
    }
    // Replaced (set()) while it ran, e.g. a sync re-tracked the certificate being renewed: the run's outcome still
    // applies to the record that stands for that job now (a renewal that finished ends it; issue 22).
    job = current;
    const retry = this.options.retry?.[job.kind] ?? DEFAULT_RETRY;
    const { remove } = applyOutcome(job, outcome, now, retry, this.random);
    if (outcome.status === 'done') {
      if (remove) this.jobs.delete(job.id);
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

  /** Serialized, atomic, merged with other processes' changes (schedule-file.ts); re-armed for jobs they added. */
  private async persist(): Promise<void> {
    await this.file.write(this.jobs);
    this.arm();
  }
}
