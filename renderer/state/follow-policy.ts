import type { AgentState, Settings } from '../../app/ipc/contract';
import type { KeytalkApi } from '../../app/ipc/contract';

/** The part of the app store this needs (typed here, not imported: store.ts calls this, one direction only). */
interface ManagedParts {
  setState(patch: { settings: Settings }): void;
  getState(): { scanner?: unknown; loadStores(): Promise<void>; loadScanner(): Promise<void> };
  subscribe(listener: (state: { agent?: AgentState }, prev: { agent?: AgentState }) => void): () => void;
}

/**
 * The organisation's policy changed while the window is open (the core's policy watch publishes a state with a new
 * `policyRevision`): the settings and their "Managed by your organisation" locks, the stores and the scanner
 * settings are read again, so the window never shows a lock that is gone or misses a new one.
 */
export function followPolicy(api: KeytalkApi, store: ManagedParts): void {
  store.subscribe((state, prev) => {
    if (!prev.agent || !state.agent || prev.agent.policyRevision === state.agent.policyRevision) return;
    void api.invoke('settings:get', {}).then(
      (settings) => store.setState({ settings }),
      () => undefined,
    );
    void store.getState().loadStores();
    if (store.getState().scanner) void store.getState().loadScanner();
  });
}
