import type { ProviderSummary } from '../ipc/contract';
import type { ProviderConnection } from './enroll-deps';

/**
 * Imported providers as the agent and CLI use them. The agent's wiring (app/agent/provider-wiring.ts) lists and
 * removes through every registered provider kind, imports RCCDs and connects through the KeyTalk kind
 * (keytalk-kind.ts); tests may substitute their own.
 */
export interface ProviderRegistry {
  /** `force`: install even when the ContentVersion is not newer than the installed one. */
  import(fileName: string, data: Uint8Array, options?: { force?: boolean; acceptUnsigned?: boolean }): Promise<ProviderSummary>;
  list(): Promise<ProviderSummary[]>;
  remove(name: string): Promise<void>;
  connect(name: string): Promise<ProviderConnection>;
}
