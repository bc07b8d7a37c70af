import { ManualClock } from '../system/clock';

/**
 * Test clock pair: a ManualClock for wall time plus a monotonic reading that does NOT move on `sleep()` —
 * exactly what a suspended laptop shows (CLOCK_MONOTONIC stops, the wall clock does not).
 */
export class SleepyClock extends ManualClock {
  private skipped = 0;
  monotonic = (): number => this.now() - this.skipped;
  /** Suspend for `ms`: wall time moves, monotonic time and timers do not notice. */
  sleep(ms: number): void {
    this.skipped += ms;
    this.jump(ms);
  }
}

/** Seeded PRNG (mulberry32) so jitter in tests and simulations is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Let queued promise callbacks (job handlers, state writes) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
