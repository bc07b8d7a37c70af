import type https from 'node:https';
import type { ProviderSummary } from '../ipc/contract';
// provider-store, not rccd/index: the index also re-exports the RCCD parser, which only an import needs.
import { importRccd, listProviders, loadProvider, removeProvider } from '../rccd/provider-store';
import type { ProviderRecord } from '../rccd/types';
import { createProviderAgent, explainTlsError } from '../tls/index';
import type { EngineDeps, ProviderConnection } from './enroll-deps';
import type { ProviderKind } from './provider-kind';
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
    ...(p.warnings?.length ? { warnings: p.warnings } : {}),
  };
}

/** The KeyTalk kind, plus what only KeyTalk has: RCCD import and an RCDP connection. */
export type KeytalkKind = ProviderKind<EngineDeps> & Pick<ProviderRegistry, 'import' | 'connect'>;

/**
 * KeyTalk providers: RCCDs imported under <home>/providers, enrolled over RCDP (rcdp-enrollment.ts, loaded on the
 * first enrollment: the daemon's keep-alive only connects). Connections trust only the provider's CAs; one
 * keep-alive agent per provider (re-created when the provider is re-imported with new content).
 */
export function createKeytalkKind(home: string): KeytalkKind {
  const agents = new Map<string, { importedAt: string; agent: https.Agent }>();
  return {
    kind: 'keytalk',
    async import(fileName, data, options = {}) {
      const record = await importRccd(home, data, { fileName, force: options.force, acceptUnsigned: options.acceptUnsigned });
      agents.get(record.name)?.agent.destroy();
      agents.delete(record.name);
      return providerSummary(record);
    },
    async list() {
      // Records of other kinds in the same folder fail the RCCD schema and are skipped.
      return (await listProviders(home)).map(providerSummary);
    },
    async remove(name) {
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
        explainTlsError: (err, host) => explainTlsError(err, host),
        services: record.services.map((s) => ({ name: s.name, certValidPercent: s.certValidPercent })),
        cas: [record.cas.signing, ...record.cas.extraSigning, record.cas.primary, record.cas.root].filter(
          (c): c is string => !!c,
        ),
      };
    },
    async enroll(req, frontEnd, deps, signal) {
      return (await import('./rcdp-enrollment')).runRcdpEnrollment(req, frontEnd, deps, signal);
    },
  };
}
