import type { Settings } from '../ipc/contract';
import { withText } from '../model/core-text';
import type { Policy, PolicyKey } from './schema';

/** Which settings the policy pins, and the policy key that pins each (shown as "Managed by your organisation"). */
export type SettingLocks = Partial<Record<'stores' | 'autostart' | 'logLevel', PolicyKey>>;

/** A store id as settings hold it ("firefox:<profile>") against a policy list of catalog ids ("firefox"). */
const storeIn = (list: readonly string[], id: string) => list.includes(id) || list.includes(id.split(':')[0]!);

/**
 * Precedence policy > user settings > defaults, for the settings the policy speaks about. A locked key replaces the
 * user's value; `allowedStores` filters the user's stores; `defaultStores` stands in while the user has chosen none
 * (settings.json without `stores`), and also when the allow-list leaves nothing of the user's choice.
 */
export function applyPolicy(
  user: Partial<Settings>,
  defaults: Settings,
  policy: Policy,
): { settings: Settings; locked: SettingLocks } {
  const locked: SettingLocks = {};
  const settings: Settings = { ...defaults, ...user };
  const fallbackStores = policy.defaultStores ?? defaults.stores;
  if (policy.lockedStores) {
    settings.stores = [...policy.lockedStores];
    locked.stores = 'lockedStores';
  } else {
    let stores = user.stores ?? fallbackStores;
    if (policy.allowedStores) {
      const allowed = policy.allowedStores;
      stores = stores.filter((s) => storeIn(allowed, s));
      if (!stores.length) stores = fallbackStores.filter((s) => storeIn(allowed, s));
    }
    settings.stores = stores;
  }
  if (policy.lockedAutostart !== undefined) {
    settings.autostart = policy.lockedAutostart;
    locked.autostart = 'lockedAutostart';
  }
  if (policy.lockedLogLevel !== undefined) {
    settings.logLevel = policy.lockedLogLevel;
    locked.logLevel = 'lockedLogLevel';
  }
  return { settings, locked };
}

/**
 * The policy key that forbids this settings patch, or undefined when the patch only touches free settings (or sets a
 * locked one to the value it is locked to, which changes nothing). `allowedStores` forbids enabling other stores.
 */
export function refusedBy(patch: Partial<Settings>, current: Settings, locked: SettingLocks, policy: Policy): string | undefined {
  for (const [setting, key] of Object.entries(locked) as [keyof SettingLocks, PolicyKey][]) {
    if (patch[setting] === undefined) continue;
    if (JSON.stringify(patch[setting]) !== JSON.stringify(current[setting])) return key;
  }
  if (patch.stores && policy.allowedStores) {
    const allowed = policy.allowedStores;
    if (patch.stores.some((s) => !storeIn(allowed, s))) return 'allowedStores';
  }
  return undefined;
}

/** The error a refused change raises, naming the key so an administrator can find it. */
export class PolicyLockedError extends Error {
  constructor(
    readonly policyKey: string,
    what: string,
  ) {
    super(`${what} is managed by your organisation (policy key "${policyKey}") and cannot be changed here`);
    this.name = 'PolicyLockedError';
    withText(this, 'policy.locked', { what, key: policyKey });
  }
}
