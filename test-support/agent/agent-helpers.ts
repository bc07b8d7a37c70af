import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventChannel, EventOf } from '../../app/ipc/contract';
import type { AgentRuntime } from '../../app/agent/index';

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

/** Import a provider's .rccd file (the simulator's, say) into the core, as the UI's file picker hands it over. */
export async function importRccdFile(agent: Pick<AgentRuntime, 'handlers'>, file: string): Promise<void> {
  const data = await fs.readFile(file);
  await agent.handlers['providers:import-rccd']({ fileName: path.basename(file), dataBase64: data.toString('base64') });
}

/**
 * Enroll through the core's flow channels as the UI does: enroll:start, answer the credentials prompt with a
 * user name and password (remembered or not), and return the outcome of flow:done.
 */
export async function enrollWithPassword(
  agent: Pick<AgentRuntime, 'handlers' | 'onEvent'>,
  e: { provider: string; service: string; user: string; password: string; remember?: boolean },
): Promise<EventOf<'flow:done'>['outcome']> {
  const prompt = nextEvent(agent, 'flow:prompt', (p) => p.prompt.kind === 'credentials');
  const { flowId } = await agent.handlers['enroll:start']({ provider: e.provider, service: e.service });
  const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
  await prompt;
  await agent.handlers['flow:answer']({
    flowId,
    answer: { kind: 'credentials', values: { USERID: e.user, PASSWD: e.password }, remember: e.remember ?? false },
  });
  return (await done).outcome;
}
