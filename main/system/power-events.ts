import type { PowerMonitor } from 'electron';

export type SystemEvent = 'resume' | 'unlock-screen';

/** A core that wants to know about sleep/lock (to re-check renewals that came due meanwhile). */
export interface SystemEventTarget {
  onSystemEvent?(event: SystemEvent): void | Promise<void>;
}

/**
 * Forward resume and unlock to the core. Timers do not run while the machine sleeps, so a renewal that
 * came due during sleep would otherwise wait for the next scheduled check.
 */
export function forwardPowerEvents(
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>,
  target: SystemEventTarget,
  log: (message: string) => void = console.error,
): () => void {
  const handlers = (['resume', 'unlock-screen'] as const).map((event) => {
    const fn = () => {
      Promise.resolve(target.onSystemEvent?.(event)).catch((err: unknown) =>
        log(`system event ${event}: ${(err as Error).message}`),
      );
    };
    powerMonitor.on(event as 'resume', fn);
    return [event, fn] as const;
  });
  return () => {
    for (const [event, fn] of handlers) powerMonitor.removeListener(event as 'resume', fn);
  };
}
