import type { Clock } from '../system/clock';
import type { SchedulerLog } from './job';

/**
 * Clock jumps and time-zone changes, noticed between two wake-ups. Node timers count monotonic time, which stops
 * during suspend, so after sleep a timer alone would fire hours late; the scheduler never sleeps longer than its
 * tick and on every wake-up asks this watch whether the wall clock moved differently from the monotonic clock
 * (resume from sleep, NTP step, manual change) or the zone changed. The caller then re-checks every due time
 * against the wall clock — that is the recheck itself; here we only detect it and say why.
 */
export class ClockWatch {
  private lastWall = 0;
  private lastMono = 0;
  private lastZone = '';

  constructor(
    private readonly clock: Clock,
    private readonly mono: () => number,
    private readonly timeZone: () => string,
    private readonly driftThresholdMs: number,
    private readonly log: SchedulerLog,
  ) {}

  /** Take the current readings as the reference (start, explicit recheck). */
  reset(): void {
    this.lastWall = this.clock.now();
    this.lastMono = this.mono();
    this.lastZone = this.timeZone();
  }

  /** What changed since the last reading, as recheck reasons (empty: nothing); the readings move on. */
  changes(): string[] {
    const wall = this.clock.now();
    const mono = this.mono();
    const drift = wall - this.lastWall - (mono - this.lastMono);
    this.lastWall = wall;
    this.lastMono = mono;
    const zone = this.timeZone();
    const reasons: string[] = [];
    if (Math.abs(drift) > this.driftThresholdMs) {
      this.log('info', 'clock-jump', { driftMs: Math.round(drift) });
      reasons.push(drift > 0 ? 'wall clock jumped forward (resume from sleep or clock set)' : 'wall clock jumped back');
    }
    if (zone !== this.lastZone) {
      this.log('info', 'time-zone-change', { from: this.lastZone, to: zone });
      this.lastZone = zone;
      reasons.push('time-zone change');
    }
    return reasons;
  }
}

/**
 * The default zone probe. The UTC offset is what moves wall-clock times; TZ is how a zone is changed for a running
 * Node process (Node re-reads the zone when process.env.TZ is assigned). Not Intl.DateTimeFormat: it pulls ICU's
 * locale and zone data into memory (~8 MB RSS measured) on every process, for a name that changes nothing by itself.
 */
export function systemTimeZone(clock: Clock): () => string {
  return () => `${process.env.TZ ?? ''}/${new Date(clock.now()).getTimezoneOffset()}`;
}
