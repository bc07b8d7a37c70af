import type { AgentState, KeytalkApi } from '../../app/ipc/contract';
import type { FlowView } from './flow-view';

/** The part of the app store this needs (typed here, not imported: store.ts calls this, one direction only). */
interface FlowParts {
  getState(): { agent?: AgentState; flow?: FlowView };
  setState(patch: { flow: FlowView }): void;
  subscribe(listener: (state: { agent?: AgentState; flow?: FlowView }) => void): () => void;
}

/**
 * A window that was not there when a flow's prompt went out — opened from the tray after a renewal started, reloaded,
 * a second tab, a popup closed mid-sign-in — still shows the flow: when the core says a flow needs attention and this
 * window shows none (or only a finished one), it asks the core for the open prompt (`flow:current`) and takes it up.
 * Without this the header said "Needs attention" and "Show it" led to an Enroll page with nothing to answer.
 * Asked once per agent state, so a core that has nothing to give is not asked again until its state changes.
 */
export function resumeFlow(api: KeytalkApi, store: FlowParts): void {
  let askedFor: AgentState | undefined;
  const check = (state: { agent?: AgentState; flow?: FlowView }) => {
    const idle = !state.flow || state.flow.outcome !== undefined;
    if (state.agent?.status !== 'attention' || !idle || askedFor === state.agent) return;
    askedFor = state.agent;
    void api.invoke('flow:current', {}).then(
      ({ waiting }) => {
        const now = store.getState().flow;
        // A prompt that arrived meanwhile by its event wins; an older finished flow gives way.
        if (!waiting || (now && !now.outcome)) return;
        store.setState({ flow: { ...waiting, promptSeq: 1, progressSeq: 0 } });
      },
      () => undefined,
    );
  };
  store.subscribe(check);
}
