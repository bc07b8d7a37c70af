import type { FixtureInput } from '../../simulators/keytalk/index';
import type { EngineDeps } from '../../app/engine/enroll';
import { startSimHarness, type SimHarness } from '../engine/sim-harness';
import { ManualClock } from '../../app/system/clock';
import { AgentScheduler, type AgentNotifier, type AgentSchedulerOptions } from '../../app/scheduler/agent-scheduler';

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

/** One provider of a simulator fixture, as the scheduler tests write them. */
export type SimProvider = FixtureInput['providers'][number];

/**
 * The KeyTalk simulator (through the engine's harness: temp home, TLS agent, engine deps) with these providers,
 * on a server version new enough for every periodic job the scheduler runs (keep-alive, seat templates, messages).
 */
export function startSchedulerSim(providers: SimProvider[]): Promise<SimHarness> {
  return startSimHarness({ server: { version: '7.8.0', maxRcdpVersion: '2.8.3' }, providers });
}

/**
 * A notifier that writes what the user would be told as short strings, in order: `popup:SERVICE:REMINDER`,
 * `locked:SERVICE`, `renewed:NEW-FINGERPRINT`, `messages:PROVIDER:ADDED:UNREAD`.
 */
export function recordingNotifier(events: string[]): AgentNotifier {
  return {
    userActionNeeded: (n) => events.push(`popup:${n.service}:${n.reminder}`),
    locked: (n) => events.push(`locked:${n.service}`),
    renewed: (n) => events.push(`renewed:${n.newSha256Fingerprint}`),
    newMessages: (p, added, unread) => events.push(`messages:${p}:${added}:${unread}`),
  };
}

export interface ScheduledAgent {
  agent: AgentScheduler;
  clock: SleepyClock;
  /** What recordingNotifier recorded. */
  events: string[];
}

/**
 * Run `body` with a started AgentScheduler on the harness home and `engine`: a SleepyClock at the real time
 * (the simulator's certificates are dated now), no start-up jitter, jitter from `seed`. Stopped afterwards
 * whatever `body` does, so a failed assertion does not leave timers behind for the next test.
 */
export async function withAgentScheduler(
  h: Pick<SimHarness, 'home'>,
  engine: EngineDeps,
  seed: number,
  body: (s: ScheduledAgent) => Promise<void>,
  extra: Partial<AgentSchedulerOptions> = {},
): Promise<void> {
  const events: string[] = [];
  const clock = new SleepyClock(Date.now());
  const agent = new AgentScheduler({
    home: h.home,
    engine,
    notifier: recordingNotifier(events),
    clock,
    monotonicNow: clock.monotonic,
    random: seededRandom(seed),
    startupJitterMs: 0,
    ...extra,
  });
  await agent.start();
  try {
    await body({ agent, clock, events });
  } finally {
    await agent.stop();
  }
}
