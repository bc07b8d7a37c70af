/**
 * Time goes through this interface so the scheduler, renewal and DELAY countdowns can be tested with a
 * controllable clock (and so a wall-clock jump can be simulated).
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

let nextId = 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    t.unref?.();
    const handle = { id: nextId++, t };
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout((handle as unknown as { t: NodeJS.Timeout }).t);
  },
};

/** A manual clock for tests: time only moves when the test advances it. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }
  /** Move time forward, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
      await Promise.resolve();
    }
    this.current = target;
  }
  /** Jump the wall clock without firing timers (what a laptop sees after sleep). */
  jump(ms: number): void {
    this.current += ms;
  }
  pendingTimers(): number {
    return this.timers.size;
  }
  /** When the earliest pending timer fires (simulations jump straight to it instead of stepping). */
  nextTimerAt(): number | undefined {
    let at: number | undefined;
    for (const t of this.timers.values()) if (at === undefined || t.at < at) at = t.at;
    return at;
  }
}
