import type { ProviderSummary } from '../ipc/contract';
import type { ProviderConnection } from './enroll';

/**
 * Imported providers as the agent and CLI use them. The default implementation (provider-registry.ts) sits
 * on the RCCD importer (app/rccd) and the provider TLS trust (app/tls); tests may substitute their own.
 */
export interface ProviderRegistry {
  /** `force`: install even when the ContentVersion is not newer than the installed one. */
  import(fileName: string, data: Uint8Array, options?: { force?: boolean }): Promise<ProviderSummary>;
  list(): Promise<ProviderSummary[]>;
  remove(name: string): Promise<void>;
  connect(name: string): Promise<ProviderConnection>;
}
