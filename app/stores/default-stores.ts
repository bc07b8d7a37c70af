import { onPath } from '../system/on-path';

/**
 * The stores on by default (no `stores` setting, no policy): always the file store, and the OS's own store where
 * there is one — the shared NSS database on Linux (what Chromium, Evolution and NSS tools read), CurrentUser on
 * Windows, the login keychain on macOS — so a new certificate is usable by the user's programs without a setting.
 * A store whose programs are missing (NSS without certutil/pk12util, e.g. a minimal server) is left out: a default
 * must never make every enrollment fail; naming it with `--store nss` still fails, naming the missing tool.
 * Its own small module (not registry.ts) because settings are read at every start, the idle daemon's included,
 * and must not load the store implementations.
 */
const PREFERRED: Partial<Record<NodeJS.Platform, Array<{ id: string; requires?: string[] }>>> = {
  linux: [{ id: 'file' }, { id: 'nss', requires: ['certutil', 'pk12util'] }],
  win32: [{ id: 'file' }, { id: 'windows-user' }],
  darwin: [{ id: 'file' }, { id: 'macos-login' }],
};

export function defaultStoreIds(
  platform: NodeJS.Platform = process.platform,
  hasProgram: (name: string) => boolean = (name) => onPath(name),
): string[] {
  return (PREFERRED[platform] ?? [{ id: 'file' }]).filter((s) => (s.requires ?? []).every(hasProgram)).map((s) => s.id);
}
