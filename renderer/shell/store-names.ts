import { i18n, tr, type TextKey } from '../i18n/i18n';

/**
 * A certificate store's name and the programs that use it, in the user's language, from the store's id. The core
 * names its stores in English (app/stores/registry.ts) and a certificate only lists the ids it is stored in, so both
 * the Settings checkboxes and a certificate's "Stored in" ask here. An id this UI does not know keeps the core's name.
 */

/** A profile store's id is `firefox:<profile>` or, when two installs share a profile name, `firefox:<flavour>:<profile>`. */
const profileApps: Record<string, string> = { firefox: 'Firefox', thunderbird: 'Thunderbird' };

export function storeName(id: string, coreName?: string): string {
  const [catalogId, ...rest] = id.split(':');
  const app = profileApps[catalogId!];
  if (app && rest.length > 0) {
    const profile = tr('stores.profile', { app, profile: rest[rest.length - 1] });
    return rest.length > 1 ? `${profile} (${rest[0]})` : profile;
  }
  const key = `stores.names.${id}`;
  return i18n.exists(key) ? tr(key as TextKey) : (coreName ?? id);
}

/** Who reads the store, as one phrase ("Chromium, … and other NSS programs"); the core's list for an unknown id. */
export function storeUsers(id: string, coreUsedBy: string[]): string[] {
  const key = `stores.usedBy.${id}`;
  return i18n.exists(key) ? [tr(key as TextKey)] : coreUsedBy;
}
