import type { HomeLayout } from '../config/home';
import type { AgentState } from '../ipc/contract';
import type { EventSink } from '../ipc/dispatcher';
import type { EngineDeps } from '../engine/enroll';
import type { Logger } from '../log/logger';
import type { AgentScheduler } from '../scheduler/agent-scheduler';

/**
 * What every area of the core (flows, certificates, providers, disclaimers, ...) shares, built once by
 * createAgent(). Handler modules take this instead of a long argument list, so adding an area never changes
 * another one's signature. The scheduler is a getter: it exists only between start() and stop().
 */
export interface AgentContext {
  readonly home: string;
  readonly layout: HomeLayout;
  /** The engine wiring flows run with (`deps.stores()` is every configured certificate store). */
  readonly deps: EngineDeps;
  readonly log: Logger;
  /** Where the core publishes events (the bindings forward them to windows). */
  readonly sink: EventSink;
  /** The agent's state as `agent:get-state` answers it. */
  state(): Promise<AgentState>;
  /** Recompute the state and publish it as `agent:state`, without waiting (errors are dropped: it is a hint). */
  publishState(): void;
  /** The renewal scheduler while the core is started (undefined before start(), after stop(), or when turned off). */
  scheduler(): AgentScheduler | undefined;
  /** Keep work that outlives its request (flows, post-flow syncs, scans) so stop() can wait for it. */
  track<T>(p: Promise<T>): Promise<T>;
}
