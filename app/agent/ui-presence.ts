import type { AgentContext } from './agent-context';
import type { FlowRunner } from './flow-runner';

/**
 * How many UI windows/tabs are connected. Flow prompts are broadcast to all of them, so any one can answer; only
 * when none is left can nobody, and the flows waiting on the UI are cancelled (cancel, not resume: a reconnecting
 * window starts clean, and nothing half-done is kept). Each detach counts once.
 */
export function uiPresence(ctx: AgentContext, flows: FlowRunner): () => () => void {
  let attached = 0;
  return () => {
    attached++;
    let gone = false;
    return () => {
      if (gone) return;
      gone = true;
      attached--;
      if (attached > 0) return;
      const cancelled = flows.cancelUiFlows();
      if (cancelled) ctx.log.info('the last UI window closed: its enrollments were cancelled', { cancelled });
    };
  };
}
