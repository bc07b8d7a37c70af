import { decryptCmsEnvelope } from '../crypto/cms';
import type { EngineDeps } from '../engine/enroll';
import { createHwsigFunction } from '../engine/hwsig-adapter';
import { createProviderRegistry } from '../engine/provider-registry';
import type { ProviderRegistry } from '../engine/providers';
import type { Settings } from '../ipc/contract';
import type { Logger } from '../log/logger';
import { createStores } from '../stores/registry';
import type { SecretStore } from '../system/secret-store';

export interface EngineWiringOptions {
  home: string;
  secretStore?: SecretStore;
  log?: Logger;
  appVersion?: string;
  settings: () => Promise<Settings>;
  providers?: ProviderRegistry;
}

/**
 * The real engine wiring shared by the agent core and the CLI: providers from imported RCCDs with TLS trust
 * limited to their CAs, the configured stores, HWSIG from this machine's probes, CMS decryption for seats.
 */
export function createEngineDeps(o: EngineWiringOptions): EngineDeps & { providerRegistry: ProviderRegistry } {
  const providerRegistry = o.providers ?? createProviderRegistry(o.home);
  return {
    home: o.home,
    providerRegistry,
    openProvider: (name) => providerRegistry.connect(name),
    stores: async () => createStores({ home: o.home, enabled: (await o.settings()).stores, secrets: o.secretStore }),
    secretStore: o.secretStore,
    hwsig: createHwsigFunction(),
    decryptSeatChallenge: decryptCmsEnvelope,
    log: o.log,
    appVersion: o.appVersion,
  };
}
