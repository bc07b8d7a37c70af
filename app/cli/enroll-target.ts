import type { ProviderRegistry } from '../engine/providers';
import { UsageError } from './args';

/**
 * Which provider and service `enroll` means. Checked here, before any prompt or request, so a typo is answered
 * with the valid names (the engine would only say "no such provider"). `--service` may be left out when the
 * provider has exactly one service — every Online CA provider, and a KeyTalk provider with a single service —
 * as there is nothing to choose.
 */
export async function enrollTarget(
  registry: ProviderRegistry,
  provider: string | undefined,
  service: string | undefined,
): Promise<{ provider: string; service: string }> {
  const all = await registry.list();
  const names = all.map((p) => p.name);
  if (!provider)
    throw new UsageError(
      names.length
        ? `enroll needs --provider NAME; providers: ${names.join(', ')}`
        : 'enroll needs --provider NAME, and no provider is imported yet: keytalk-agent rccd import FILE.rccd',
    );
  const p = all.find((x) => x.name === provider);
  if (!p)
    throw new UsageError(
      names.length
        ? `no provider named "${provider}"; providers: ${names.join(', ')}`
        : `no provider named "${provider}": none is imported yet; import its RCCD first: keytalk-agent rccd import FILE.rccd`,
    );
  const services = p.services.map((s) => s.name);
  if (service === undefined) {
    if (services.length === 1) return { provider, service: services[0]! };
    throw new UsageError(
      services.length
        ? `provider "${provider}" has ${services.length} services; choose one with --service NAME: ${services.join(', ')}`
        : `provider "${provider}" lists no services; re-import a newer RCCD or ask its administrator`,
    );
  }
  if (!services.includes(service))
    throw new UsageError(`provider "${provider}" has no service "${service}"; its services: ${services.join(', ') || 'none'}`);
  return { provider, service };
}
