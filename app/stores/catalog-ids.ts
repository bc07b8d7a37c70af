/**
 * The store ids each platform offers, without loading any store module: settings.json is checked against this
 * list on every read (app/config/settings-check.ts), and the daemon and CLI must stay light when idle (issue 7).
 * registry.ts holds the full entries; catalog-ids.test.ts keeps the two lists equal.
 */
const platformsOf: Record<string, NodeJS.Platform[] | 'all'> = {
  file: 'all',
  nss: ['linux'],
  firefox: ['linux', 'win32', 'darwin'],
  thunderbird: ['linux', 'win32', 'darwin'],
  'linux-system-ca': ['linux'],
  'windows-user': ['win32'],
  'windows-machine': ['win32'],
  'macos-login': ['darwin'],
  'macos-system': ['darwin'],
};

/** Every store id usable on `platform`, in catalogue order. */
export function storeIdsFor(platform: NodeJS.Platform): string[] {
  return Object.entries(platformsOf)
    .filter(([, p]) => p === 'all' || p.includes(platform))
    .map(([id]) => id);
}
