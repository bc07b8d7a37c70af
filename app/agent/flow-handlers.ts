import { FlowAnswer } from '../model/flow-types';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { AgentContext } from './agent-context';
import type { FlowEntry, FlowRunner } from './flow-runner';

type FlowChannels = 'enroll:start' | 'flow:answer' | 'flow:cancel' | 'flow:current' | 'password:change';

/**
 * The UI's side of an enrollment: start one, answer the prompt it is waiting on, cancel it. An answer is checked
 * against the open prompt (a stale or mismatched answer is refused with the reason), so a window that raced
 * another one cannot feed a flow the wrong kind of input.
 */
export function flowHandlers(ctx: AgentContext, flows: FlowRunner): Pick<RequestHandlers, FlowChannels> {
  const findFlow = (flowId: string): FlowEntry => {
    const f = flows.get(flowId);
    if (!f) throw new Error(`no running enrollment ${flowId} (it finished or was cancelled)`);
    return f;
  };
  return {
    // Format, CSR mode, out-of-band and the cert options go to the engine as asked; which of them a server honours
    // is the engine's decision (version features, cn-customization-policy), not the UI's.
    'enroll:start': async (req) => ({ flowId: flows.start(req).flowId }),
    'password:change': async (req) => ({ flowId: flows.startPasswordChange(req).flowId }),
    'flow:answer': async ({ flowId, answer }) => {
      const f = findFlow(flowId);
      const w = f.waiting;
      if (!w) throw new Error(`enrollment ${flowId} is not waiting for an answer`);
      if (w.prompt.kind !== answer.kind)
        throw new Error(`enrollment ${flowId} waits for a ${w.prompt.kind} answer, not ${answer.kind}`);
      f.waiting = undefined;
      w.resolve(FlowAnswer.parse(answer));
      ctx.publishState();
      return { ok: true };
    },
    // A window that opened (or reloaded) after the prompt went out: it shows the flow instead of only "Needs attention".
    'flow:current': async () => {
      const waiting = flows.waitingPrompt();
      return waiting ? { waiting } : {};
    },
    // Cancelling a flow that already ended is not an error: the user's intent (no flow) already holds.
    'flow:cancel': async ({ flowId }) => {
      const f = flows.get(flowId);
      if (f) flows.cancel(f);
      return { ok: true };
    },
  };
}
