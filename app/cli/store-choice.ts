import { UsageError } from './args';
import type { SecretStore } from '../system/secret-store';
import type { CliContext } from './command';

/**
 * Store ids a user may name on this platform (`stores enable ID`, `enroll --store ID`): every catalog id, and the
 * per-profile ids a catalog id stands for (`firefox:default-release`). An unknown id is refused with the list.
 */
export async function checkStoreIds(ids: string[]): Promise<void> {
  const { storeCatalog } = await import('../stores/registry');
  const known = storeCatalog(process.platform).map((e) => e.id);
  for (const id of ids) {
    if (!known.includes(id.split(':')[0]!))
      throw new UsageError(
        `unknown store "${id}" on ${process.platform}; stores here: ${known.join(', ')} (see keytalk-agent stores)`,
      );
  }
}

/** The stores for the given ids, enabled or not (an explicit --store is the user's choice). */
export async function storesByIds(ctx: CliContext, ids: string[], secrets?: SecretStore) {
  const { createStores } = await import('../stores/registry');
  const wanted = [...new Set(ids.map((id) => id.split(':')[0]!))];
  const built = createStores({ home: ctx.home, enabled: wanted, secrets, userHome: ctx.userHome, env: ctx.env });
  // A profile id (firefox:NAME) narrows its catalog id to that profile.
  return built.filter((s) => ids.includes(s.id) || ids.includes(s.id.split(':')[0]!));
}
