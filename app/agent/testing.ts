import type { EventChannel, EventOf } from '../ipc/contract';
import type { AgentRuntime } from './index';

/**
 * The next `channel` event of the agent that `pred` accepts. Call it before the action that causes the event
 * (the listener is registered at once), so a fast core cannot emit it before the test listens.
 */
export function nextEvent<C extends EventChannel>(
  agent: Pick<AgentRuntime, 'onEvent'>,
  channel: C,
  pred: (p: EventOf<C>) => boolean = () => true,
): Promise<EventOf<C>> {
  return new Promise((resolve) => {
    const off = agent.onEvent((c: EventChannel, p: unknown) => {
      if (c === channel && pred(p as EventOf<C>)) {
        off();
        resolve(p as EventOf<C>);
      }
    });
  });
}
