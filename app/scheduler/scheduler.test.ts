import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Scheduler, type JobHandler, type SchedulerOptions } from './scheduler';
import { seededRandom, settle, SleepyClock } from '../../test-support/scheduler/scheduler-harness';

const H = 3_600_000;

function setup(overrides: Partial<SchedulerOptions> = {}, clock = new SleepyClock()) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-sched-'));
  const stateFile = path.join(dir, 'state', 'schedule.json');
  mkdirSync(path.dirname(stateFile), { recursive: true });
  const make = (c = clock) =>
    new Scheduler({
      stateFile,
      clock: c,
      monotonicNow: c.monotonic,
      random: seededRandom(1),
      startupJitterMs: 0,
      ...overrides,
    });
  return { clock, stateFile, make };
}

/** Wait (real time, bounded) for the scheduler's file writes to let a handler start. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A periodic job that counts runs and succeeds with no jitter. */
function every(periodMs: number, runs: number[], clock: SleepyClock): JobHandler {
  return async (_job, ctx) => {
    runs.push(clock.now());
    return { status: 'done', nextDueAt: ctx.now + periodMs };
  };
}

describe('Scheduler', () => {
  it('persists the next due time of every job and resumes after a restart', async () => {
    const { clock, stateFile, make } = setup();
    const runs: number[] = [];
    const a = make();
    a.handle('tick', every(H, runs, clock));
    await a.start();
    await a.set({ id: 'k', kind: 'tick', dueAt: clock.now() + H, reason: 'first' });
    const onDisk = JSON.parse(readFileSync(stateFile, 'utf8')) as { jobs: { id: string; dueAt: number }[] };
    expect(onDisk.jobs).toEqual([expect.objectContaining({ id: 'k', dueAt: clock.now() + H })]);
    await clock.advance(H);
    await a.idle();
    expect(runs).toHaveLength(1);
    await a.stop();

    // New process: the job is still due one hour after its last run, not re-created.
    const b = make();
    b.handle('tick', every(H, runs, clock));
    await b.start();
    await b.ensure({ id: 'k', kind: 'tick', dueAt: clock.now() + 5 * H });
    expect(b.get('k')!.dueAt).toBe(clock.now() + H);
    await clock.advance(H);
    await b.idle();
    expect(runs).toHaveLength(2);
    await b.stop();
  });

  it('runs a job missed while the agent was off once, not once per missed occurrence', async () => {
    const { clock, make } = setup();
    const runs: number[] = [];
    const a = make();
    a.handle('tick', every(H, runs, clock));
    await a.start();
    await a.set({ id: 'k', kind: 'tick', dueAt: clock.now() + H });
    await a.stop();
    clock.jump(10 * H); // agent off for ten periods
    const b = make();
    b.handle('tick', every(H, runs, clock));
    await b.start();
    await clock.advance(0);
    await b.idle();
    await clock.advance(30 * 60_000);
    await b.idle();
    expect(runs).toEqual([clock.now() - 30 * 60_000]);
    expect(b.get('k')!.dueAt).toBe(runs[0]! + H);
    await b.stop();
  });

  it('backs off exponentially on failure, and a success resets the count', async () => {
    const { clock, make } = setup();
    let fail = 3;
    const attempts: number[] = [];
    const s = make();
    s.handle('net', async (_j, ctx) => {
      attempts.push(ctx.now);
      if (fail-- > 0) throw new Error('ECONNREFUSED');
      return { status: 'done', nextDueAt: ctx.now + 24 * H };
    });
    await s.start();
    await s.set({ id: 'n', kind: 'net', dueAt: clock.now() });
    for (let i = 0; i < 40; i++) {
      await clock.advance(5 * 60_000);
      await s.idle();
    }
    expect(attempts).toHaveLength(4);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // Equal jitter: failure n waits in [d/2, d] with d = 1 min × 2^(n-1); the timer granularity here is 5 min.
    expect(gaps[0]).toBeGreaterThanOrEqual(30_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(2 * 60_000);
    const job = s.get('n')!;
    expect(job.failures).toBe(0);
    expect(job.lastError).toBeUndefined();
    await s.stop();
  });

  it('keeps the job due when a run throws, with the error recorded for status', async () => {
    const { clock, make } = setup();
    const s = make();
    s.handle('net', async () => {
      throw new Error('server down');
    });
    await s.start();
    await s.set({ id: 'n', kind: 'net', dueAt: clock.now() });
    await clock.advance(0);
    await s.idle();
    expect(s.get('n')).toMatchObject({ failures: 1, lastError: 'server down' });
    expect(s.get('n')!.dueAt).toBeGreaterThan(clock.now());
    await s.stop();
  });

  it('a job that hangs past its deadline is aborted, recorded as failed with back-off, and not started twice (issue 22)', async () => {
    const { clock, make } = setup({ deadlines: { hang: 60_000 } });
    const s = make();
    const signals: AbortSignal[] = [];
    let release = () => {};
    // Ignores its signal: only the deadline can end the run in the scheduler's eyes.
    s.handle('hang', (_j, ctx) => {
      signals.push(ctx.signal);
      return new Promise((resolve) => (release = () => resolve({ status: 'done', nextDueAt: clock.now() + H })));
    });
    const other: number[] = [];
    s.handle('tick', every(H, other, clock));
    await s.start();
    await s.set({ id: 'h', kind: 'hang', dueAt: clock.now() });
    await s.set({ id: 't', kind: 'tick', dueAt: clock.now() + 2 * 60_000 });
    await clock.advance(0);
    await until(() => signals.length === 1);
    await clock.advance(60_000);
    await s.idle();
    expect(signals[0]!.aborted).toBe(true);
    const failed = s.get('h')!;
    expect(failed.failures).toBe(1);
    expect(failed.lastError).toMatch(/did not finish within 1 min/);
    expect(failed.runningSince).toBeUndefined();
    // The scheduler goes on: the other job runs, and the hung one is not started again while its handler still runs.
    await clock.advance(H);
    await s.idle();
    expect(other).toHaveLength(1);
    expect(signals).toHaveLength(1);
    release();
    await settle();
    await clock.advance(2 * H);
    await until(() => signals.length === 2);
    expect(signals).toHaveLength(2);
    release();
    await s.stop();
  });

  it('stop() does not wait forever for a job that ignores the abort', async () => {
    const { clock, make } = setup({ stopGraceMs: 5_000 });
    const s = make();
    let started = false;
    s.handle('hang', () => ((started = true), new Promise(() => {})));
    await s.start();
    await s.set({ id: 'h', kind: 'hang', dueAt: clock.now() });
    await clock.advance(0);
    await until(() => started);
    const stopped = s.stop();
    await settle();
    await clock.advance(5_000);
    await stopped;
    // Still marked as running on disk: the next start runs it again, once.
    const b = make();
    b.handle('hang', async () => ({ status: 'done' }));
    await b.load();
    expect(b.get('h')).toBeDefined();
  });

  it('after sleep, re-checks due times against the wall clock (tick detects the jump)', async () => {
    const { clock, make } = setup({ tickMs: 60_000 });
    const runs: number[] = [];
    const events: string[] = [];
    const s = make();
    s.handle('renew', async () => {
      runs.push(clock.now());
      return { status: 'done' };
    });
    s.on((e) => e.type === 'recheck' && events.push(e.reason));
    await s.start();
    await s.set({ id: 'r', kind: 'renew', dueAt: clock.now() + 3 * H });
    clock.sleep(8 * H); // laptop lid closed: wall time moves, timers and monotonic time do not
    await clock.advance(60_000); // first wake-up after resume
    await s.idle();
    expect(events[0]).toMatch(/jumped forward/);
    expect(runs).toHaveLength(1);
    expect(s.get('r')).toBeUndefined(); // one-shot job done and removed
    await s.stop();
  });

  it('recheck(reason) runs overdue jobs immediately (powerMonitor resume/unlock)', async () => {
    const { clock, make } = setup({ tickMs: 10 * 60_000 });
    const runs: number[] = [];
    const s = make();
    s.handle('renew', async () => {
      runs.push(clock.now());
      return { status: 'done' };
    });
    await s.start();
    await s.set({ id: 'r', kind: 'renew', dueAt: clock.now() + H });
    clock.sleep(2 * H);
    s.recheck('resume');
    await s.idle();
    expect(runs).toEqual([clock.now()]);
    await s.stop();
  });

  it('notices a time-zone change on its periodic tick', async () => {
    let zone = 'Europe/Amsterdam';
    const { clock, make } = setup({ tickMs: 60_000, timeZone: () => zone });
    const events: string[] = [];
    const s = make();
    s.on((e) => e.type === 'recheck' && events.push(e.reason));
    await s.start();
    zone = 'America/New_York';
    await clock.advance(60_000);
    expect(events).toEqual(['time-zone change']);
    await s.stop();
  });

  it('notices a change of TZ with the default probe (no ICU zone data needed)', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Amsterdam';
    try {
      const { clock, make } = setup({ tickMs: 60_000 });
      const events: string[] = [];
      const s = make();
      s.on((e) => e.type === 'recheck' && events.push(e.reason));
      await s.start();
      process.env.TZ = 'America/New_York';
      await clock.advance(60_000);
      expect(events).toEqual(['time-zone change']);
      await s.stop();
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('stops cleanly mid-run: state stays valid and the interrupted job runs again after restart', async () => {
    const { clock, stateFile, make } = setup();
    let release!: () => void;
    const runs: string[] = [];
    const a = make();
    a.handle('slow', async (_j, ctx) => {
      runs.push('a');
      await new Promise<void>((r) => {
        release = r;
        ctx.signal.addEventListener('abort', () => r());
      });
      return { status: 'done', nextDueAt: ctx.now + 24 * H };
    });
    await a.start();
    await a.set({ id: 's', kind: 'slow', dueAt: clock.now() });
    await clock.advance(0);
    for (let i = 0; i < 200 && runs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(runs).toEqual(['a']);
    await a.stop();
    void release;
    const disk = JSON.parse(readFileSync(stateFile, 'utf8')) as { jobs: { id: string; dueAt: number; runningSince?: number }[] };
    expect(disk.jobs[0]!.dueAt).toBeLessThanOrEqual(clock.now());
    expect(disk.jobs[0]!.runningSince).toBeUndefined();

    const b = make();
    b.handle('slow', async (_j, ctx) => {
      runs.push('b');
      return { status: 'done', nextDueAt: ctx.now + 24 * H };
    });
    await b.start();
    await clock.advance(0);
    await b.idle();
    expect(runs).toEqual(['a', 'b']);
    await b.stop();
  });

  it('treats a run still marked running on disk (process killed) as interrupted and runs it once', async () => {
    const { clock, stateFile } = setup();
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 1,
        jobs: [{ id: 'x', kind: 'k', dueAt: clock.now() - H, runningSince: clock.now() - H, data: {} }],
      }),
    );
    const logs: string[] = [];
    const runs: number[] = [];
    const s = new Scheduler({
      stateFile,
      clock,
      monotonicNow: clock.monotonic,
      startupJitterMs: 0,
      log: (_l, e) => logs.push(e),
    });
    s.handle('k', async () => {
      runs.push(clock.now());
      return { status: 'done' };
    });
    await s.start();
    await clock.advance(0);
    await s.idle();
    expect(logs).toContain('job-interrupted');
    expect(runs).toHaveLength(1);
    await s.stop();
  });

  it('a corrupt schedule file is moved aside and the scheduler starts empty (its owner rebuilds the jobs)', async () => {
    const { stateFile, make } = setup();
    writeFileSync(stateFile, JSON.stringify({ version: 1, jobs: [{ id: 3 }] }));
    const s = make();
    await s.start();
    expect(s.list()).toEqual([]);
    const kept = readdirSync(path.dirname(stateFile)).filter((n) => n.startsWith(`${path.basename(stateFile)}.damaged-`));
    expect(kept).toHaveLength(1);
    await s.stop();
  });

  it('spreads overdue jobs found at start-up over the start-up jitter window', async () => {
    const { clock, stateFile } = setup();
    const jobs = Array.from({ length: 50 }, (_, i) => ({ id: `j${i}`, kind: 'k', dueAt: clock.now() - H, data: {} }));
    writeFileSync(stateFile, JSON.stringify({ version: 1, jobs }));
    const s = new Scheduler({
      stateFile,
      clock,
      monotonicNow: clock.monotonic,
      random: seededRandom(7),
      startupJitterMs: 60_000,
    });
    await s.start();
    const due = s.list().map((j) => j.dueAt - clock.now());
    expect(Math.min(...due)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...due)).toBeLessThan(60_000);
    expect(new Set(due).size).toBeGreaterThan(40);
    await s.stop();
  });
});
