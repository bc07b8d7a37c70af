import { messageStore } from '../engine/state';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { AgentContext } from './agent-context';

type MessageChannels = 'messages:list' | 'messages:mark-read';

/**
 * The provider's messages (fetched by the scheduler's messages job), newest first. Marking read changes the
 * unread count in `agent:state`, so it publishes the state.
 */
export function messageHandlers(ctx: AgentContext): Pick<RequestHandlers, MessageChannels> {
  return {
    'messages:list': async () => (await messageStore.list(ctx.home)).sort((a, b) => b.utc.localeCompare(a.utc)),
    'messages:mark-read': async ({ ids }) => {
      await messageStore.markRead(ctx.home, ids);
      ctx.publishState();
      return { ok: true };
    },
  };
}
