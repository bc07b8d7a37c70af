import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../system/atomic-write';
import { homeLayout } from '../config/home';
import { withStateLock } from '../system/home-lock';
import type { LoadedPolicy } from './load-policy';
import { unsafePolicyPath } from './policy-permissions';
import { provisionedFile, provisionedNames } from './provisioned-names';
import { recordProvisioningWarnings } from './provisioning-warnings';
import type { RefreshClock } from './rccd-refresh';

/**
 * Provisioned providers: RCCDs the administrator placed in the policy folder's rccd/ or named in the policy's
 * `providers`, imported at start (agent core and daemon) into this user's home. Their names are recorded by
 * provisioned-names.ts, which is what makes `rccd remove` and `providers:remove` refuse them.
 */

export async function provisionedRccdFiles(loaded: LoadedPolicy): Promise<string[]> {
  let inFolder: string[] = [];
  try {
    inFolder = (await readdir(loaded.rccdDir))
      .filter((n) => n.toLowerCase().endsWith('.rccd'))
      .sort()
      .map((n) => path.join(loaded.rccdDir, n));
  } catch {
    // No rccd/ folder: only the policy's list.
  }
  const paths = (loaded.policy.providers ?? []).filter((p): p is string => typeof p === 'string');
  return [...new Set([...inFolder, ...paths])];
}

/**
 * Imports each provisioned RCCD: a newer ContentVersion replaces the installed one (importRccd's rule), the same or
 * an older one is left as installed. A file that cannot be read or is not a valid RCCD is a warning, never a crash:
 * the other providers still import. Returns the names now provisioned and the problems.
 */
export async function importProvisioned(
  home: string,
  loaded: LoadedPolicy,
  clock: RefreshClock = {},
): Promise<{ names: string[]; warnings: string[] }> {
  const files = await provisionedRccdFiles(loaded);
  const names: string[] = [];
  const warnings: string[] = [];
  if (files.length) {
    // The RCCD importer (zip reader, parser) loads only when there is something to import (the daemon's idle memory).
    const { importRccd, RccdVersionError } = await import('../rccd/provider-store');
    const { parseRccd } = await import('../rccd/rccd-parse');
    const { readZipSafely } = await import('../rccd/zip-guard');
    for (const file of files) {
      try {
        // An RCCD another local user could swap would install their server for everyone (policy-permissions.ts).
        const folder = path.dirname(file);
        const unsafeFolder = await unsafePolicyPath(folder);
        if (unsafeFolder) throw new Error(`its folder ${folder} ${unsafeFolder}`);
        const unsafeFile = await unsafePolicyPath(file);
        if (unsafeFile) throw new Error(`the file ${unsafeFile}`);
        const zip = await readFile(file);
        try {
          names.push((await importRccd(home, zip, { fileName: path.basename(file) })).name);
        } catch (err) {
          if (!(err instanceof RccdVersionError)) throw err;
          names.push(parseRccd(readZipSafely(zip), { fileName: path.basename(file) }).name); // already installed
        }
      } catch (err) {
        warnings.push(`provisioned RCCD ${file}: ${(err as Error).message}; not imported`);
      }
    }
  }
  // Fetched from a KeyTalk server (rccd?uid): each on its own, when due (rccd-refresh.ts: spread, persisted, backed
  // off); a failure keeps what is installed and is reported, one not due keeps what is installed silently.
  const remote = (loaded.policy.providers ?? []).filter((p) => typeof p !== 'string');
  if (remote.length) {
    const { fetchRemoteRccd, installedName } = await import('./remote-rccd');
    const { claimDueSources, recordRefresh, refreshRecord } = await import('./rccd-refresh');
    const due = new Set(await claimDueSources(home, remote, async (s) => !!(await installedName(home, s)), clock));
    for (const source of remote) {
      const kept = await installedName(home, source);
      if (!due.has(source)) {
        if (kept) names.push(kept);
        // Still failing, waiting for its back-off: the warning stays until a fetch succeeds.
        const rec = await refreshRecord(home, source);
        if (rec?.lastError)
          warnings.push(
            `provisioned RCCD uid ${source.uid} from ${source.server}: ${rec.lastError} (next attempt ${new Date(rec.dueAt).toISOString()})`,
          );
        continue;
      }
      try {
        names.push((await fetchRemoteRccd(home, source)).name);
        await recordRefresh(home, source, { ok: true, first: !kept }, clock);
      } catch (err) {
        warnings.push(`provisioned RCCD uid ${source.uid} from ${source.server}: ${(err as Error).message}`);
        await recordRefresh(home, source, { ok: false, error: err, installed: !!kept }, clock);
        if (kept) names.push(kept); // still provisioned: the user cannot remove it while the server is away
      }
    }
  }
  // Written only when it changes: most machines have no provisioned providers, and start should not write then.
  // Under the home lock: the tray app and the daemon both provision at start.
  await withStateLock(homeLayout(home).state, async () => {
    if (JSON.stringify(await provisionedNames(home)) !== JSON.stringify(names))
      await writeJsonAtomic(provisionedFile(home), { names });
  });
  return { names, warnings };
}

/**
 * At start (agent core and daemon): logs the policy's problems and imports the provisioned RCCDs. Never throws: a bad
 * policy or RCCD must not stop the agent; each problem is logged and the rest goes on.
 */
export async function provisionAtStart(
  home: string,
  log: {
    info(event: string, fields?: Record<string, unknown>): void;
    warn(event: string, fields?: Record<string, unknown>): void;
  },
  clock: RefreshClock = {},
): Promise<void> {
  try {
    const { currentPolicy } = await import('./load-policy');
    const loaded = await currentPolicy();
    for (const w of loaded.warnings) log.warn('policy-invalid', { message: w });
    if (loaded.sources.length) log.info('policy', { sources: loaded.sources, keys: Object.keys(loaded.policy) });
    const r = await importProvisioned(home, loaded, clock);
    for (const w of r.warnings) log.warn('provisioned-rccd', { message: w });
    if (r.names.length) log.info('provisioned-providers', { names: r.names });
    await recordProvisioningWarnings(home, r.warnings);
  } catch (err) {
    log.warn('provisioned-rccd', { message: (err as Error).message });
    await recordProvisioningWarnings(home, [(err as Error).message]).catch(() => undefined);
  }
}
