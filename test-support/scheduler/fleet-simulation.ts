import { nextTiming, periodicNext, periodicRetry, type Random, type RetryPolicy } from '../../app/scheduler/fleet-policy';

/**
 * Discrete-event simulation of a fleet of agents sending keep-alives to one server over simulated time, with a
 * server outage. Each agent's timing goes through `nextTiming` — the same rule the Scheduler applies to a real
 * job outcome — so the simulation measures the shipped policy, not a copy of it.
 *
 * `policy: 'naive'` is the comparison: fixed period, fixed 60 s retry, no jitter (what lock-step agents do).
 */
export interface FleetSimulationOptions {
  agents: number;
  periodMs: number;
  durationMs: number;
  outage: { startMs: number; endMs: number };
  /** Rate histogram bucket. */
  bucketMs?: number;
  random: Random;
  policy?: 'jittered' | 'naive';
  retry?: RetryPolicy;
  /** How the fleet's phases start: spread over one period (long-running fleet) or all at t=0 (same boot). */
  start?: 'spread' | 'together';
}

export interface FleetSimulationResult {
  /** Requests per bucket, index = bucket number. */
  buckets: number[];
  bucketMs: number;
  /** Mean requests per bucket in the steady state before the outage (first period skipped). */
  meanBeforeOutage: number;
  /** Largest bucket after the outage ended. */
  peakAfterOutage: number;
  /** peakAfterOutage / meanBeforeOutage. */
  peakToMean: number;
  /** Time from the outage's end until every agent has reached the server again. */
  recoveryMs: number;
  totalRequests: number;
  failedRequests: number;
}

/** Binary min-heap of [time, agent] pairs in two typed arrays (10 000 agents, no per-event allocation). */
class EventHeap {
  private times: Float64Array;
  private ids: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }
  push(t: number, id: number): void {
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.times[p]! <= t) break;
      this.times[i] = this.times[p]!;
      this.ids[i] = this.ids[p]!;
      i = p;
    }
    this.times[i] = t;
    this.ids[i] = id;
  }
  pop(): [number, number] {
    const top: [number, number] = [this.times[0]!, this.ids[0]!];
    const t = this.times[--this.size]!;
    const id = this.ids[this.size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && this.times[l + 1]! < this.times[l]! ? l + 1 : l;
      if (this.times[c]! >= t) break;
      this.times[i] = this.times[c]!;
      this.ids[i] = this.ids[c]!;
      i = c;
    }
    this.times[i] = t;
    this.ids[i] = id;
    return top;
  }
}

export function simulateFleet(o: FleetSimulationOptions): FleetSimulationResult {
  const bucketMs = o.bucketMs ?? 60_000;
  const policy = o.policy ?? 'jittered';
  const retry = o.retry ?? periodicRetry(o.periodMs);
  const buckets = new Array<number>(Math.ceil(o.durationMs / bucketMs)).fill(0);
  const failures = new Int32Array(o.agents);
  const heap = new EventHeap(o.agents);
  for (let a = 0; a < o.agents; a++) heap.push(o.start === 'together' ? 0 : o.random() * o.periodMs, a);
  let total = 0;
  let failed = 0;
  let lastFailedAgentRecovered = o.outage.endMs;
  const down = (t: number) => t >= o.outage.startMs && t < o.outage.endMs;

  while (heap.size > 0) {
    const [t, a] = heap.pop();
    if (t >= o.durationMs) break;
    buckets[Math.floor(t / bucketMs)]! += 1;
    total += 1;
    let next: number;
    if (down(t)) {
      failed += 1;
      if (policy === 'naive') {
        next = t + 60_000;
      } else {
        const r = nextTiming({ status: 'retry' }, failures[a]!, t, retry, o.random);
        failures[a] = r.failures;
        next = r.dueAt!;
      }
    } else {
      const recovering = failures[a]! > 0;
      if (recovering && t >= o.outage.endMs) lastFailedAgentRecovered = Math.max(lastFailedAgentRecovered, t);
      failures[a] = 0;
      next =
        policy === 'naive'
          ? t + o.periodMs
          : nextTiming({ status: 'done', ...periodicNext(t, o.periodMs, recovering) }, 0, t, retry, o.random).dueAt!;
    }
    heap.push(next, a);
  }

  const firstSteady = Math.ceil(o.periodMs / bucketMs);
  const outageStartBucket = Math.floor(o.outage.startMs / bucketMs);
  const steady = buckets.slice(firstSteady, outageStartBucket);
  const meanBeforeOutage = steady.reduce((s, v) => s + v, 0) / Math.max(1, steady.length);
  const after = buckets.slice(Math.floor(o.outage.endMs / bucketMs));
  const peakAfterOutage = Math.max(0, ...after);
  return {
    buckets,
    bucketMs,
    meanBeforeOutage,
    peakAfterOutage,
    peakToMean: peakAfterOutage / meanBeforeOutage,
    recoveryMs: lastFailedAgentRecovered - o.outage.endMs,
    totalRequests: total,
    failedRequests: failed,
  };
}
