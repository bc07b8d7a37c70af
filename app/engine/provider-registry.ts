import type https from 'node:https';
import type { ProviderSummary } from '../ipc/contract';
// provider-store, not rccd/index: the index also re-exports the RCCD parser, which only an import needs.
import { importRccd, listProviders, loadProvider, removeProvider } from '../rccd/provider-store';
import type { ProviderRecord } from '../rccd/types';
import { createProviderAgent, explainTlsError } from '../tls/index';
import type { ProviderConnection } from './enroll';
import type { ProviderRegistry } from './providers';

export function providerSummary(p: ProviderRecord): ProviderSummary {
  return {
    name: p.name,
    kind: 'keytalk',
    server: p.server,
    contentVersion: p.contentVersion,
    services: p.services.map((s) => ({
      name: s.name,
      ...(s.certValidPercent !== undefined ? { certValidPercent: s.certValidPercent } : {}),
    })),
    ...(p.logoDataUrl ? { logo: p.logoDataUrl } : {}),
  };
}

/**
 * Providers from RCCDs imported under <home>/providers. Connections trust only the provider's CAs; one
 * keep-alive agent per provider (re-created when the provider is re-imported with new content).
 */
export function createProviderRegistry(home: string): ProviderRegistry {
  const agents = new Map<string, { importedAt: string; agent: https.Agent }>();
  return {
    async import(fileName, data, options = {}) {
      const record = await importRccd(home, data, { fileName, force: options.force });
      agents.get(record.name)?.agent.destroy();
      agents.delete(record.name);
      return providerSummary(record);
    },
    async list() {
      // Online CA providers live beside the KeyTalk ones under <home>/providers (kind 'onlineca').
      const { onlineCaProviderSummaries } = await import('../onlineca/engine-adapter');
      return [...(await listProviders(home)).map(providerSummary), ...(await onlineCaProviderSummaries(home))];
    },
    async remove(name) {
      // One namespace, two kinds: the RCCD store refuses an Online CA record as damaged, so dispatch on the kind.
      const onlineCa = await import('../onlineca/engine-adapter');
      if (await onlineCa.isOnlineCaProvider(home, name)) {
        const { removeOnlineCaProvider } = await import('../onlineca/provider');
        return removeOnlineCaProvider(home, name);
      }
      await removeProvider(home, name);
      agents.get(name)?.agent.destroy();
      agents.delete(name);
    },
    async connect(name): Promise<ProviderConnection> {
      const record = await loadProvider(home, name);
      let cached = agents.get(name);
      if (!cached || cached.importedAt !== record.importedAt) {
        cached?.agent.destroy();
        cached = { importedAt: record.importedAt, agent: createProviderAgent(record, { keepAlive: true }) };
        agents.set(name, cached);
      }
      return {
        name: record.name,
        server: record.server,
        agent: cached.agent,
        explainTlsError: (err, host) => explainTlsError(err, host).message,
        services: record.services.map((s) => ({ name: s.name, certValidPercent: s.certValidPercent })),
      };
    },
  };
}
