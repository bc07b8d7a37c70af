import { homeLayout } from '../config/home';
import type { AgentScope } from '../config/scope';
import type { CertificateStore } from '../stores/store';
import type { SystemStoreOptions, SystemStoreTarget } from '../stores/system-stores';

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
 * The machine store of a scope, for a new certificate: the platform's machine stores less those the policy's store
 * keys leave out (app/policy/machine-stores.ts: "nss" stands for /etc/pki/nssdb, "file" for the system file store,
 * ...). One rule whichever agent writes them: the system daemon (its file store in its home), and a per-user agent
 * meeting a server's `store-to-system` — the policy is the administrator's word on this machine, the server's
 * directive the KeyTalk administrator's, so the policy wins. A policy that leaves none of them gives an empty list
 * and `refusedByPolicy`, and the engine stores in the user's own stores, saying so (engine/store-target.ts).
 * Read afresh each time so a policy change applies to the next enrollment. Loaded only when needed.
 * `options`: tests point the machine stores at a temporary root.
 */
export async function scopedSystemTarget(
  scope: AgentScope,
  home: string,
  options: SystemStoreOptions = {},
): Promise<SystemStoreTarget | undefined> {
  const { systemStoreTarget } = await import('../stores/system-stores');
  const target = systemStoreTarget(scope === 'machine' ? { ...options, fileStoreDir: homeLayout(home).certs } : options);
  if (!target) return undefined;
  const [{ currentPolicy }, { machineStoresUnder }] = await Promise.all([
    import('../policy/load-policy'),
    import('../policy/machine-stores'),
  ]);
  const all = target.stores.map((s) => s.id);
  const { ids } = machineStoresUnder((await currentPolicy()).policy, all);
  return {
    stores: target.stores.filter((s) => ids.includes(s.id)),
    missingRights: () => target.missingRights(),
    ...(ids.length || !all.length
      ? {}
      : {
          refusedByPolicy: {
            reason: `your organisation's policy (allowedStores) allows none of the machine stores (${all.join(', ')})`,
            machineStoreIds: all,
          },
        }),
  };
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
  // A record names a store this list lacks: a machine store of an earlier store-to-system enrollment, if any —
  // whatever the policy allows now, so a certificate already there is still found, renewed and switched over.
  const { systemStoreTarget } = await import('../stores/system-stores');
  const target = systemStoreTarget({});
  return [...stores, ...(target?.stores ?? []).filter((s) => named.has(s.id) && !have.has(s.id))];
}
