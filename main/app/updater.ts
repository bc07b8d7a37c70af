import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Self-update in the packaged app: electron-updater bound to the core's decisions (app/update). The core decides —
 * policy `updatesDisabled` (IT pushes installers; the feed is not even asked), the policy's `updateChannel`, only a
 * newer version, the staged-rollout bucket of this device — and only then is electron-updater asked to check,
 * download (sha512-verified by electron-updater as by the core's own tested downloader) and install on quit.
 * Code-signature verification is electron-updater's default and is left on (this file never assigns
 * verifyUpdateCodeSignature). The feed is electron-builder's `publish` (generic), which the build writes into
 * resources/app-update.yml.
 */
export async function startUpdates(o: {
  home: string;
  version: string;
  isPackaged: boolean;
  resourcesPath: string;
  log: (message: string) => void;
}): Promise<void> {
  // An unpacked development build has no app-update.yml and nothing to update.
  if (!o.isPackaged) return;
  const [{ currentPolicy }, { checkForUpdate }] = await Promise.all([
    import('../../app/policy/load-policy'),
    import('../../app/update/check'),
  ]);
  const { policy } = await currentPolicy();
  const feedBase = await publishedFeed(o.resourcesPath);
  if (!feedBase) return o.log('updates: no generic feed in app-update.yml; not checking');
  const decision = await checkForUpdate({ home: o.home, feedBase, current: o.version, policy });
  o.log(`updates (${decision.channel}, ${decision.feed}): ${decision.reason}`);
  if (!decision.update) return;
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.channel = decision.channel === 'beta' ? 'beta' : 'latest';
  autoUpdater.allowPrerelease = decision.channel === 'beta';
  autoUpdater.allowDowngrade = false;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  await autoUpdater.checkForUpdates();
}

/** The generic feed URL electron-builder wrote from `publish` (resources/app-update.yml). */
async function publishedFeed(resourcesPath: string): Promise<string | undefined> {
  try {
    const cfg = parse(await readFile(path.join(resourcesPath, 'app-update.yml'), 'utf8')) as { provider?: string; url?: string };
    return cfg.provider === 'generic' && typeof cfg.url === 'string' ? cfg.url : undefined;
  } catch {
    return undefined;
  }
}
