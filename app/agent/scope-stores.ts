import { homeLayout } from '../config/home';
import type { AgentScope } from '../config/scope';
import type { CertificateStore } from '../stores/store';
import type { SystemStoreTarget } from '../stores/system-stores';

/**
 * Which stores an agent of each scope works with (app/config/scope.ts).
 *
 * Machine scope (the system-wide daemon): only the machine stores, those the policy's store keys allow. Every
 * certificate it enrolls is a machine certificate, whatever the server's `store-to-system` says, and the system file
 * store is the system home's own certs/ (/var/lib/keytalk-agent/certs by default: keys 0600, root-owned, folders 0700).
 *
 * User scope: the configured user stores, plus the machine stores that one of this home's enrollments went to
 * (store-to-system from an agent with the rights, e.g. `sudo keytalk-agent enroll`). Without them the scheduler
 * would not find such a certificate (no renewal job, "removed; nothing to renew") and its renewal could not take the
 * old one out of the machine store: the switch-over (scheduler/replace-certificate.ts) works on these lists.
 */

/**
 * The machine store of a scope: for `machine` with its file store in the home, and only the machine stores the
 * policy's store keys leave (app/policy/machine-stores.ts: "nss" stands for /etc/pki/nssdb, "file" for the system
 * file store, ...), read afresh each time so a policy change applies to the next enrollment. Loaded only when needed.
 */
export async function scopedSystemTarget(scope: AgentScope, home: string): Promise<SystemStoreTarget | undefined> {
  const { systemStoreTarget } = await import('../stores/system-stores');
  if (scope !== 'machine') return systemStoreTarget({});
  const target = systemStoreTarget({ fileStoreDir: homeLayout(home).certs });
  if (!target) return undefined;
  const [{ currentPolicy }, { machineStoresUnder }] = await Promise.all([
    import('../policy/load-policy'),
    import('../policy/machine-stores'),
  ]);
  const { ids } = machineStoresUnder(
    (await currentPolicy()).policy,
    target.stores.map((s) => s.id),
  );
  return { stores: target.stores.filter((s) => ids.includes(s.id)), missingRights: () => target.missingRights() };
}

export async function scopedStores(
  scope: AgentScope,
  home: string,
  userStores: () => Promise<CertificateStore[]>,
): Promise<CertificateStore[]> {
  if (scope === 'machine') return (await scopedSystemTarget(scope, home))?.stores ?? [];
  const stores = await userStores();
  const have = new Set(stores.map((s) => s.id));
  const { enrollments } = await import('../engine/state');
  const named = new Set((await enrollments.list(home).catch(() => [])).flatMap((r) => r.stores ?? []));
  if (![...named].some((id) => !have.has(id))) return stores;
  // A record names a store this list lacks: a machine store of an earlier store-to-system enrollment, if any.
  const target = await scopedSystemTarget(scope, home);
  return [...stores, ...(target?.stores ?? []).filter((s) => named.has(s.id) && !have.has(s.id))];
}
