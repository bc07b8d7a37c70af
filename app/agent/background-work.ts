/**
 * Work started by the core that outlives the request that started it (flows, post-flow scheduler syncs, scans).
 * stop() drains it so nothing writes into the agent home after stop() resolves.
 */
export interface BackgroundWork {
  track<T>(p: Promise<T>): Promise<T>;
  /** Wait until every tracked promise has settled, including ones tracked while waiting. */
  drain(): Promise<void>;
}

export function backgroundWork(): BackgroundWork {
  const pending = new Set<Promise<unknown>>();
  return {
    track(p) {
      pending.add(p);
      void p.finally(() => pending.delete(p)).catch(() => undefined);
      return p;
    },
    async drain() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
