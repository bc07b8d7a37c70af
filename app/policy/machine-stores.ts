import type { Policy, PolicyKey } from './schema';

/**
 * The policy's store keys in machine scope (the system-wide daemon, app/config/scope.ts). An administrator writes
 * one policy for the machine, and its `defaultStores` / `allowedStores` / `lockedStores` name user stores ("nss",
 * "file", "windows-user"): for the system daemon each stands for its machine counterpart, so "only NSS" means
 * /etc/pki/nssdb for the machine certificates as it means ~/.pki/nssdb for the users'. A store with no machine
 * counterpart (a Firefox profile, the CA trust store) cannot hold a machine certificate: it is ignored, with a
 * warning `status --system` and `doctor --system` show. Rules, the same as user scope (apply-settings.ts):
 *  - the stores used are `lockedStores`, else `defaultStores`, mapped; all machine stores when neither names one;
 *  - `allowedStores` then keeps only the allowed ones, and falls back to the allowed machine stores when that leaves
 *    nothing; a policy that allows none of them leaves the daemon no store, and says so.
 * Pure: the ids of this computer's machine stores come from the caller (app/agent/scope-stores.ts).
 */

/** A policy's store id (also a machine store's own id) → the machine store that stands for it. */
export const MACHINE_COUNTERPART: Readonly<Record<string, string>> = {
  nss: 'system-nss',
  'system-nss': 'system-nss',
  file: 'system-file',
  'system-file': 'system-file',
  'windows-user': 'windows-machine',
  'windows-machine': 'windows-machine',
  'macos-login': 'macos-system',
  'macos-system': 'macos-system',
};

/** The machine stores of each platform, in the order app/stores/system-stores.ts makes them (a test keeps them equal). */
export const MACHINE_STORE_IDS: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: ['system-nss', 'system-file'],
  win32: ['windows-machine'],
  darwin: ['macos-system'],
};

export interface MachineStoreChoice {
  /** The machine stores the system daemon uses, in `available` order; empty when the policy allows none. */
  ids: string[];
  /** One sentence per ignored store and for a policy that allows none. */
  warnings: string[];
}

const STORE_KEYS = ['lockedStores', 'defaultStores', 'allowedStores'] as const satisfies readonly PolicyKey[];

export function machineStoresUnder(policy: Policy, available: readonly string[]): MachineStoreChoice {
  const warnings: string[] = [];
  const mapped = (key: (typeof STORE_KEYS)[number]): string[] | undefined => {
    const list = policy[key];
    if (!list) return undefined;
    const out = new Set<string>();
    for (const id of list) {
      // Settings-style ids ("firefox:<profile>") count by their catalogue id, as in user scope.
      const counterpart = MACHINE_COUNTERPART[id.split(':')[0]!];
      if (counterpart && available.includes(counterpart)) out.add(counterpart);
      else
        warnings.push(
          `policy key "${key}": store "${id}" has no machine store on this computer, so the system daemon ignores it (its stores: ${describe(available)})`,
        );
    }
    return [...out];
  };
  const [locked, defaults, allowed] = STORE_KEYS.map(mapped);
  const chosen = locked?.length ? locked : defaults?.length ? defaults : [...available];
  let ids = allowed ? chosen.filter((id) => allowed.includes(id)) : chosen;
  if (allowed && !ids.length) ids = available.filter((id) => allowed.includes(id));
  if (!ids.length && available.length)
    warnings.push(
      `policy key "allowedStores" allows none of this computer's machine stores (${describe(available)}): the system daemon can enroll and renew nothing; allow one of them`,
    );
  return { ids: available.filter((id) => ids.includes(id)), warnings };
}

/** "system-nss (policy: nss), system-file (policy: file)": what an administrator writes to get each. */
function describe(available: readonly string[]): string {
  if (!available.length) return 'none';
  return available
    .map((id) => {
      const user = Object.keys(MACHINE_COUNTERPART).filter((k) => k !== id && MACHINE_COUNTERPART[k] === id);
      return user.length ? `${id} (policy: ${user.join(' or ')})` : id;
    })
    .join(', ');
}

/** The warnings of the policy in force for the machine stores of this platform (status and doctor in machine scope). */
export async function machineStoreWarnings(platform: NodeJS.Platform = process.platform): Promise<string[]> {
  const { currentPolicy } = await import('./load-policy');
  return machineStoresUnder((await currentPolicy()).policy, MACHINE_STORE_IDS[platform] ?? []).warnings;
}
