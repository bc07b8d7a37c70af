import type { EngineDeps } from '../engine/enroll-deps';
import type { KeytalkKind } from '../engine/keytalk-kind';
import { ProviderKinds } from '../engine/provider-kinds';
import type { ProviderRegistry } from '../engine/providers';

/**
 * The provider kinds this agent knows, registered in one place. A new kind (say ACME) is one implementation module
 * (a ProviderKind, app/engine/provider-kind.ts) and one line here. Each kind's module is imported on first use:
 * the RCCD importer and TLS trust (KeyTalk), zod and the Online CA code are not carried by an idle daemon or a
 * command that never touches a provider.
 */
export function createProviderWiring(home: string): { kinds: ProviderKinds<EngineDeps>; registry: ProviderRegistry } {
  let keytalk: Promise<KeytalkKind> | undefined;
  const getKeytalk = () => (keytalk ??= import('../engine/keytalk-kind').then((m) => m.createKeytalkKind(home)));
  const kinds = new ProviderKinds<EngineDeps>(home, [
    // First: the default kind, also for a provider without a record (it reports "no such provider").
    { kind: 'keytalk', load: getKeytalk },
    { kind: 'onlineca', load: async () => (await import('../onlineca/provider-kind')).createOnlineCaKind(home) },
  ]);
  const registry: ProviderRegistry = {
    // Only KeyTalk imports RCCD files and opens RCDP connections; an Online CA is added with its URL (app/onlineca).
    import: async (fileName, data, options) => (await getKeytalk()).import(fileName, data, options),
    list: () => kinds.list(),
    remove: (name) => kinds.remove(name),
    connect: async (name) => (await getKeytalk()).connect(name),
  };
  return { kinds, registry };
}
